import { expect, test } from 'bun:test';
import { readSqlDefinitions } from '../sql-definitions.ts';
import { STREAM_SETTINGS_KEYS } from './streams.ts';

/** `settings->>'key'` or `settings->'key'`, whatever the alias before it (`v_stream.settings`, `s.settings`). */
const SETTINGS_READ = /\bsettings\s*->>?\s*'([^']+)'/g;

test('every key of streams.settings that a sql file reads is a key of StreamSettings', async () => {
  const reads: { path: string; key: string }[] = [];
  for (const file of await readSqlDefinitions()) {
    for (const [, key] of file.text.matchAll(SETTINGS_READ)) reads.push({ path: file.path, key: key! });
  }
  expect(reads.map((read) => read.key).sort()).toContain('chatMode');
  const known: readonly string[] = STREAM_SETTINGS_KEYS;
  const unknown = reads.filter((read) => !known.includes(read.key));
  expect(unknown.map((read) => `${read.path} reads settings key '${read.key}'`)).toEqual([]);
});
