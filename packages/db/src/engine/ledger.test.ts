import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { sqlState } from './db-errors.ts';
import { type LedgerPostInput, ledgerPost } from './ledger.ts';
import { EngineRefusal } from './refusals.ts';
import { balanceOf, insertAccount, insertUser, type TestAccount } from './testing.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** A transfer of `amount` tokens from one account to another under `key`. */
function transfer(
  from: TestAccount,
  to: TestAccount,
  amount: number,
  key: string,
  hash = 'h1',
): LedgerPostInput {
  return {
    kind: 'adjustment',
    idempotencyKey: key,
    requestHash: hash,
    metadata: { note: 'test' },
    postings: [
      { accountId: from.id, shardCount: from.shardCount, amount: -amount },
      { accountId: to.id, shardCount: to.shardCount, amount },
    ],
  };
}

async function caught(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

// The tests run in order on one wallet; each states the balance it leaves.
describe('ledgerPost', () => {
  let wallet: TestAccount;
  let earnings: TestAccount;

  beforeAll(async () => {
    const [viewer, streamer] = await Promise.all([insertUser(database.db), insertUser(database.db)]);
    wallet = await insertAccount(database.db, 'wallet', viewer, { balance: 100 });
    earnings = await insertAccount(database.db, 'earnings', streamer, { shardCount: 4 });
  });

  test('posts a balanced transaction: the debit is checked, the one-row balance returned as a number', async () => {
    const result = await ledgerPost(database.db, transfer(wallet, earnings, 30, 'move-1'));
    expect(result.replayed).toBe(false);
    expect(typeof result.transactionId).toBe('number');
    expect(result.balances).toEqual(new Map([[wallet.id, 70]]));
    expect(await balanceOf(database.db, wallet.id)).toBe(70);
    expect(await balanceOf(database.db, earnings.id)).toBe(30);
    const entries = await database.query<{ account_id: string; amount: string }>(
      'SELECT account_id::text, amount::text FROM ledger_entries WHERE transaction_id = $1 ORDER BY amount',
      [result.transactionId],
    );
    expect(entries).toEqual([
      { account_id: String(wallet.id), amount: '-30' },
      { account_id: String(earnings.id), amount: '30' },
    ]);
  });

  test('the same key with the same request is replayed: the first transaction, nothing moves', async () => {
    const first = await ledgerPost(database.db, transfer(wallet, earnings, 5, 'move-2'));
    const again = await ledgerPost(database.db, transfer(wallet, earnings, 5, 'move-2'));
    expect(again).toEqual({ transactionId: first.transactionId, replayed: true, balances: new Map() });
    expect(await balanceOf(database.db, wallet.id)).toBe(65);
  });

  test('the same key with another request is refused with IDEMPOTENCY_CONFLICT', async () => {
    await ledgerPost(database.db, transfer(wallet, earnings, 1, 'move-3', 'first'));
    const error = await caught(ledgerPost(database.db, transfer(wallet, earnings, 2, 'move-3', 'second')));
    expect(error).toBeInstanceOf(EngineRefusal);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', sqlState: 'LU008', detail: {} });
    expect(await balanceOf(database.db, wallet.id)).toBe(64);
  });

  test('a debit the wallet cannot cover is refused with INSUFFICIENT_FUNDS and the balance it has', async () => {
    const error = await caught(ledgerPost(database.db, transfer(wallet, earnings, 65, 'move-4')));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', sqlState: 'LU007', detail: { available: 64 } });
    expect(sqlState(error)).toBe('LU007');
    expect(await balanceOf(database.db, wallet.id)).toBe(64);
  });

  test('a sharded account is checked over all its rows', async () => {
    const back = (amount: number, key: string) => transfer(earnings, wallet, amount, key);
    const error = await caught(ledgerPost(database.db, back(37, 'move-5')));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', detail: { available: 36 } });
    const result = await ledgerPost(database.db, back(36, 'move-6'));
    expect(result.balances).toEqual(new Map([[wallet.id, 100]]));
    expect(await balanceOf(database.db, earnings.id)).toBe(0);
  });

  test('runs inside a transaction, and is undone with it', async () => {
    const rolledBack = database.db.transaction(async (tx) => {
      await ledgerPost(tx, transfer(wallet, earnings, 10, 'move-7'));
      tx.rollback();
    });
    await caught(rolledBack);
    expect(await balanceOf(database.db, wallet.id)).toBe(100);
  });

  test('postings that do not balance are a plain error, not a refusal', async () => {
    const input = transfer(wallet, earnings, 10, 'move-8');
    const unbalanced = { ...input, postings: [input.postings[0]!, { ...input.postings[1]!, amount: 9 }] };
    const error = await caught(ledgerPost(database.db, unbalanced));
    expect(error).not.toBeInstanceOf(EngineRefusal);
    expect(sqlState(error)).toBe('P0001');
    await expect(ledgerPost(database.db, transfer(wallet, earnings, 0.5, 'move-9'))).rejects.toThrow(
      RangeError,
    );
  });
});
