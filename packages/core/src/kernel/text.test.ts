import { describe, expect, test } from 'bun:test';
import { createStreamInput } from '../streams/schemas.ts';
import { plainText, visibleText } from './text.ts';

const parse = (schema: ReturnType<typeof plainText>, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? { ok: result.data } : { refused: result.error.issues[0]!.message };
};

describe('plainText', () => {
  const line = plainText({ label: 'The name', min: 1, max: 10 });
  const area = plainText({ label: 'The note', max: 20, multiline: true });

  test('trims, normalises to NFC and measures the stored length', () => {
    expect(parse(line, '  Jose\u0301  ')).toEqual({ ok: 'Jos\u00e9' });
    expect(parse(line, 'x'.repeat(11))).toEqual({ refused: 'The name must be at most 10 characters.' });
    expect(parse(line, 42)).toEqual({ refused: 'The name must be text.' });
  });

  test('refuses every C0 and C1 control and DEL; a text area keeps newline and tab', () => {
    for (let code = 0; code <= 0x9f; code++) {
      if (code >= 0x20 && code < 0x7f) continue;
      const char = String.fromCharCode(code);
      const refusedInLine = 'refused' in parse(line, `a${char}b`);
      const refusedInArea = 'refused' in parse(area, `a${char}b`);
      expect([code, refusedInLine]).toEqual([code, true]);
      expect([code, refusedInArea]).toEqual([code, code !== 0x09 && code !== 0x0a && code !== 0x0d]);
    }
    expect(parse(area, 'one\r\ntwo\rthree')).toEqual({ ok: 'one\ntwo\nthree' });
  });

  test('direction overrides are removed by default and refused where asked', () => {
    const name = plainText({ label: 'Display name', max: 40, bidi: 'refuse' });
    expect(parse(area, '\u202eabc\u202c')).toEqual({ ok: 'abc' });
    expect(parse(name, 'a\u2066b')).toEqual({
      refused: 'Display name cannot contain text-direction override characters; remove them and try again.',
    });
    expect(parse(name, 'שלום \u200fworld')).toEqual({ ok: 'שלום \u200fworld' });
  });

  test('emptiness and the minimum count only what shows', () => {
    expect(parse(line, '\u200b\u200d\u2060\ufeff')).toEqual({ refused: 'The name cannot be empty.' });
    expect(parse(line, '\u3164 \u2800')).toEqual({ refused: 'The name cannot be empty.' });
    const reason = plainText({ label: 'The reason', min: 3, max: 50 });
    expect(parse(reason, 'a\u200bb\u200b')).toEqual({ refused: 'The reason must be at least 3 characters.' });
    expect(parse(area, '\u200b')).toEqual({ ok: '' });
    expect(visibleText('a\u200db')).toBe('ab');
  });

  test('every stream text field is under the rule, tags and descriptions included', () => {
    const stream = (fields: object) => createStreamInput.safeParse({ title: 'Live', ...fields });
    expect(stream({ tags: ['ok\u0000'] }).error?.issues[0]?.message).toContain(
      'A tag contains a control character',
    );
    expect(stream({ description: 'x\u0000' }).error?.issues[0]?.message).toContain(
      'The description contains',
    );
    expect(stream({ tags: ['\u202eMusic'] }).data?.tags).toEqual(['music']);
  });
});
