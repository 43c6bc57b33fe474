import { describe, expect, test } from 'bun:test';
import { readSqlDefinitions } from '../sql-definitions.ts';
import { sqlState } from './db-errors.ts';
import { EngineRefusal, REFUSALS, type RefusalState, refusalFrom, refusalOf } from './refusals.ts';

/** Every `RAISE ... USING ERRCODE = 'LU…' ...;` in the sql files, with its file and the keys of its DETAIL. */
async function raisedRefusals() {
  const raised: { path: string; state: string; detailKeys: string[] }[] = [];
  for (const file of await readSqlDefinitions()) {
    for (const [statement] of file.text.matchAll(/RAISE EXCEPTION[^;]*ERRCODE = 'LU[^;]*;/g)) {
      const state = /ERRCODE = '(LU\w*)'/.exec(statement)![1]!;
      const detail = /DETAIL = jsonb_build_object\(([\s\S]*)\)::text/.exec(statement)?.[1] ?? '';
      const detailKeys = [...detail.matchAll(/'(\w+)'\s*,/g)].map((match) => match[1]!).sort();
      raised.push({ path: file.path, state, detailKeys });
    }
  }
  return raised;
}

describe('the refusal table', () => {
  test('each SQLSTATE is of class LU, five digits or capitals, and means one code', () => {
    const states = Object.keys(REFUSALS);
    for (const state of states) expect(state).toMatch(/^LU[0-9A-Z]{3}$/);
    const codes = Object.values(REFUSALS).map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('every LU SQLSTATE raised in sql/ is in the table, with the DETAIL fields the table names', async () => {
    const raised = await raisedRefusals();
    expect(raised.length).toBeGreaterThan(0);
    for (const { path, state, detailKeys } of raised) {
      const entry = REFUSALS[state as RefusalState];
      expect({ path, state, known: entry !== undefined }).toEqual({ path, state, known: true });
      expect({ path, state, detailKeys }).toEqual({
        path,
        state,
        detailKeys: Object.keys(entry.detail).sort(),
      });
    }
  });

  test('every entry of the table is raised somewhere', async () => {
    const raised = new Set((await raisedRefusals()).map((refusal) => refusal.state));
    expect(Object.keys(REFUSALS).filter((state) => !raised.has(state))).toEqual([]);
  });

  test('no refusal carries a HINT: details travel as JSON only', async () => {
    for (const file of await readSqlDefinitions())
      expect({ path: file.path, hint: /HINT\s*=/.test(file.text) }).toEqual({ path: file.path, hint: false });
  });
});

describe('reading refusals', () => {
  test('a state and its JSON detail become a typed refusal', () => {
    const refusal = refusalFrom('LU010', '{"until": "2026-01-01T00:00:00.000Z", "reason": null}');
    expect(refusal).toBeInstanceOf(EngineRefusal);
    expect(refusal?.code).toBe('CHAT_TIMED_OUT');
    expect(refusal?.sqlState).toBe('LU010');
    if (refusal?.code !== 'CHAT_TIMED_OUT') throw new Error('not narrowed');
    expect(refusal.detail).toEqual({ until: '2026-01-01T00:00:00.000Z', reason: null });
    expect(sqlState(refusal)).toBe('LU010');
  });

  test('a refusal without fields ignores its DETAIL; one whose DETAIL lacks its fields is not a refusal', () => {
    expect(refusalFrom('LU014', null)?.detail).toEqual({});
    expect(refusalFrom('LU007', '12')).toBeNull();
    expect(refusalFrom('LU007', 'not json')).toBeNull();
    expect(refusalFrom('LU007', '{"available": "12"}')).toBeNull();
    expect(refusalFrom('LU007', '{"available": 12}')?.detail).toEqual({ available: 12 });
  });

  test('other SQLSTATEs and other errors are not refusals', () => {
    expect(refusalFrom('LU404', null)).toBeNull();
    expect(refusalFrom('40P01', null)).toBeNull();
    expect(refusalOf(new Error('plain'))).toBeNull();
    const deadlock = { message: 'Failed query', cause: { errno: '40P01', message: 'deadlock detected' } };
    expect(refusalOf(deadlock)).toBeNull();
    const wrapped = { message: 'Failed query', cause: { code: 'LU013', detail: '{"secondsLeft": 4}' } };
    const refusal = refusalOf(wrapped);
    expect(refusal?.is('SLOW_MODE') && refusal.detail.secondsLeft).toBe(4);
    expect(refusal?.cause).toBe(wrapped);
  });
});
