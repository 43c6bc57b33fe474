import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createDatabase } from './client.ts';
import { sqlState } from './engine/db-errors.ts';
import {
  applySqlDefinitions,
  readSqlDefinitions,
  SQL_DEFINITIONS_TABLE,
  type SqlDefinition,
  statementsOf,
} from './sql-definitions.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let database: TestDatabase;
let files: SqlDefinition[];

beforeAll(async () => {
  database = await createTestDatabase();
  files = await readSqlDefinitions();
});

afterAll(async () => {
  await database?.drop();
});

async function recorded(): Promise<Map<string, string>> {
  const rows = await database.query<{ path: string; sha256: string }>(
    `SELECT path, sha256 FROM ${SQL_DEFINITIONS_TABLE}`,
  );
  return new Map(rows.map((row) => [row.path, row.sha256]));
}

async function markStale(...paths: string[]) {
  await database.query(`UPDATE ${SQL_DEFINITIONS_TABLE} SET sha256 = 'stale' WHERE path = ANY($1::text[])`, [
    `{${paths.join(',')}}`,
  ]);
}

/** `CREATE OR REPLACE FUNCTION name(` in a file, or null for a trigger file. */
const functionName = (text: string) => /CREATE OR REPLACE FUNCTION (\w+)\(/.exec(text)?.[1] ?? null;
const triggerName = (text: string) =>
  /CREATE (?:OR REPLACE |CONSTRAINT )?TRIGGER (\w+)/.exec(text)?.[1] ?? null;

describe('the sql files', () => {
  test('are ordered by path, one function or trigger each, and cover every rule', () => {
    const paths = files.map((file) => file.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual([
      'chat/chat_event_append.sql',
      'chat/chat_iso.sql',
      'chat/chat_post.sql',
      'chat/chat_post_many.sql',
      'ledger/ledger_apply.sql',
      'ledger/ledger_check_transaction_balanced.sql',
      'ledger/ledger_entries_append_only_trg.sql',
      'ledger/ledger_entries_balanced_trg.sql',
      'ledger/ledger_forbid_change.sql',
      'ledger/ledger_post.sql',
      'ledger/ledger_transactions_append_only_trg.sql',
      'room/room_admit.sql',
      'tips/send_tip.sql',
      'tips/send_tip_many.sql',
      'tips/spending_limit_check.sql',
    ]);
    for (const file of files) {
      const name = functionName(file.text) ?? triggerName(file.text);
      expect(file.path.split('/')[1]).toBe(`${name}.sql`);
      expect(file.text.startsWith('-- ')).toBe(true);
    }
  });

  test('split into statements at breakpoints only', () => {
    expect(statementsOf('A;\n--> statement-breakpoint\nB;\n')).toEqual(['A;', 'B;']);
    expect(statementsOf('CREATE FUNCTION f() AS $$ a; b; $$;')).toEqual([
      'CREATE FUNCTION f() AS $$ a; b; $$;',
    ]);
  });
});

describe('the migrate step', () => {
  test('applied every file and recorded its hash', async () => {
    expect(await recorded()).toEqual(new Map(files.map((file) => [file.path, file.sha256])));
  });

  test('left each function with the body its file holds, and each trigger in place', async () => {
    for (const file of files) {
      const name = functionName(file.text);
      if (!name) continue;
      const [row] = await database.query<{ prosrc: string }>(
        'SELECT prosrc FROM pg_proc WHERE proname = $1',
        [name],
      );
      expect(file.text).toContain(row!.prosrc);
    }
    const triggers = await database.query<{ tgname: string; constraint: boolean; deferred: boolean }>(
      `SELECT tgname, tgconstraint <> 0 AS constraint, tginitdeferred AS deferred FROM pg_trigger
       WHERE tgname LIKE 'ledger_%' ORDER BY tgname`,
    );
    expect(triggers).toEqual([
      { tgname: 'ledger_entries_append_only_trg', constraint: false, deferred: false },
      { tgname: 'ledger_entries_balanced_trg', constraint: true, deferred: true },
      { tgname: 'ledger_transactions_append_only_trg', constraint: false, deferred: false },
    ]);
  });

  test('a second run applies nothing', async () => {
    expect(await applySqlDefinitions(database.db)).toEqual([]);
  });

  test('a file whose recorded hash differs is applied again, and only that file', async () => {
    await markStale('ledger/ledger_post.sql');
    expect(await applySqlDefinitions(database.db)).toEqual(['ledger/ledger_post.sql']);
    expect((await recorded()).get('ledger/ledger_post.sql')).toBe(
      files.find((file) => file.path === 'ledger/ledger_post.sql')!.sha256,
    );
  });

  test('the constraint trigger is dropped and created again, and still refuses unbalanced entries', async () => {
    await markStale('ledger/ledger_entries_balanced_trg.sql');
    expect(await applySqlDefinitions(database.db)).toEqual(['ledger/ledger_entries_balanced_trg.sql']);
    const unbalanced = database.db.transaction(async (tx) => {
      await tx.execute(`
        WITH t AS (
          INSERT INTO ledger_transactions (kind, idempotency_key, request_hash) VALUES ('adjustment', 'k', 'h')
          RETURNING id
        )
        INSERT INTO ledger_entries (transaction_id, account_id, amount) SELECT id, 1, 5 FROM t`);
    });
    expect(await unbalanced.then(() => null, sqlState)).toBe('23514');
  });

  test('two processes migrating at once apply each changed file once', async () => {
    const stale = ['chat/chat_post.sql', 'tips/send_tip.sql'];
    await markStale(...stale);
    const other = await createDatabase({ url: database.url });
    try {
      const runs = await Promise.all([applySqlDefinitions(database.db), applySqlDefinitions(other.db)]);
      expect(runs.flat().sort()).toEqual(stale);
      expect(runs.map((run) => run.length).sort()).toEqual([0, 2]);
    } finally {
      await other.close();
    }
  });

  test('a file that fails leaves every definition and hash as it was', async () => {
    await markStale('chat/chat_iso.sql');
    const broken = { path: 'zz/broken.sql', text: 'CREATE OR REPLACE FUNCTION broken( AS', sha256: 'x' };
    const failed = await applySqlDefinitions(database.db, [...files, broken]).then(() => null, sqlState);
    expect(failed).toBe('42601');
    expect((await recorded()).get('chat/chat_iso.sql')).toBe('stale');
    expect((await recorded()).has('zz/broken.sql')).toBe(false);
    expect(await applySqlDefinitions(database.db)).toEqual(['chat/chat_iso.sql']);
  });
});
