import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createDatabase, type DatabaseHandle, migrateDatabase } from './client.ts';
import { applySqlDefinitions, readSqlDefinitions, SQL_DEFINITIONS_TABLE } from './sql-definitions.ts';

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createDatabase({});
  await migrateDatabase(handle);
});

afterAll(async () => {
  await handle?.close();
});

/** `bun run dev` without DATABASE_URL migrates the embedded PGlite: the same files must apply there. */
test('the migrate step applies every file on PGlite, once, and again when a hash differs', async () => {
  const files = await readSqlDefinitions();
  const rows = await handle.query<{ path: string; sha256: string }>(
    `SELECT path, sha256 FROM ${SQL_DEFINITIONS_TABLE} ORDER BY path`,
  );
  expect(rows).toEqual(files.map((file) => ({ path: file.path, sha256: file.sha256 })));
  expect(await applySqlDefinitions(handle.db)).toEqual([]);

  const stale = ['ledger/ledger_entries_append_only_trg.sql', 'ledger/ledger_entries_balanced_trg.sql'];
  await handle.query(`UPDATE ${SQL_DEFINITIONS_TABLE} SET sha256 = 'stale' WHERE path = ANY($1::text[])`, [
    stale,
  ]);
  expect(await applySqlDefinitions(handle.db)).toEqual(stale);

  const [sendTip] = await handle.query<{ prosrc: string }>(
    `SELECT prosrc FROM pg_proc WHERE proname = 'send_tip'`,
  );
  expect(sendTip!.prosrc).toContain(`ERRCODE = 'LU001'`);
  const triggers = await handle.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE tgname LIKE 'ledger_entries_%' ORDER BY tgname`,
  );
  expect(triggers.map((row) => row.tgname)).toEqual([
    'ledger_entries_append_only_trg',
    'ledger_entries_balanced_trg',
  ]);
});
