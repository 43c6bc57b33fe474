import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createDatabase, type DatabaseHandle, migrateDatabase } from './client.ts';
import { chatPostMany } from './engine/chat.ts';
import { ledgerPost } from './engine/ledger.ts';
import { insertAccount, insertStream, insertUser } from './engine/testing.ts';
import { sendTip } from './engine/tips.ts';
import { applySqlDefinitions, readSqlDefinitions, SQL_DEFINITIONS_TABLE } from './sql-definitions.ts';

let handle: DatabaseHandle;

/** A fresh PGlite takes seconds to start and migrate, more on a loaded machine than a hook's default allows. */
const PGLITE_START_TIMEOUT_MS = 60_000;

beforeAll(async () => {
  handle = await createDatabase({});
  await migrateDatabase(handle);
}, PGLITE_START_TIMEOUT_MS);

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
  expect(sendTip!.prosrc).toContain(`ERRCODE = 'LU004'`);
  const triggers = await handle.query<{ tgname: string }>(
    `SELECT tgname FROM pg_trigger WHERE tgname LIKE 'ledger_entries_%' ORDER BY tgname`,
  );
  expect(triggers.map((row) => row.tgname)).toEqual([
    'ledger_entries_append_only_trg',
    'ledger_entries_balanced_trg',
  ]);
});

/** PGlite returns bigint as BigInt, bigint[] as numbers and timestamps as text: the wrappers read them all. */
test("the engine wrappers read PGlite's values", async () => {
  const [streamerId, viewerId] = [await insertUser(handle.db), await insertUser(handle.db)];
  const streamId = await insertStream(handle.db, streamerId);
  const wallet = await insertAccount(handle.db, 'wallet', viewerId, { balance: 50 });
  const earnings = await insertAccount(handle.db, 'earnings', streamerId, { shardCount: 2 });
  const posted = await ledgerPost(handle.db, {
    kind: 'adjustment',
    idempotencyKey: 'pglite-1',
    requestHash: 'h',
    postings: [
      { accountId: wallet.id, shardCount: 1, amount: -10 },
      { accountId: earnings.id, shardCount: 2, amount: 10 },
    ],
  });
  expect(posted).toMatchObject({ replayed: false, balances: new Map([[wallet.id, 40]]) });
  expect(typeof posted.transactionId).toBe('number');
  const tip = await sendTip(handle.db, {
    idempotencyKey: 'pglite-tip',
    requestHash: 'h',
    streamId,
    fromUserId: viewerId,
    walletAccountId: wallet.id,
    earningsAccountId: earnings.id,
    earningsShardCount: 2,
    amountTokens: 5,
    note: null,
    anonymous: false,
    now: new Date(),
    duplicateSeconds: 30,
  });
  expect(tip).toMatchObject({ replayed: false, walletBalance: 35, toUserId: streamerId });
  expect(tip.createdAt).toBeInstanceOf(Date);
  expect(Number.isNaN(tip.createdAt.getTime())).toBe(false);
  const now = new Date('2026-06-01T12:00:00.000Z');
  const [line, missing] = await chatPostMany(
    handle.db,
    [
      { streamId, senderId: viewerId, kind: 'chat', text: 'hi' },
      { streamId, senderId: crypto.randomUUID(), kind: 'chat', text: 'hi' },
    ],
    { now, duplicateSeconds: 30 },
  );
  expect(line).toMatchObject({
    ok: true,
    replayed: false,
    payload: { text: 'hi', createdAt: now.toISOString() },
  });
  expect(missing).toMatchObject({ ok: false, refusal: { code: 'USER_NOT_FOUND' } });
});
