import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { ledgerEntries, ledgerTransactions } from '@app/db/schema';
import { count, eq, sql } from 'drizzle-orm';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '../testing.ts';
import { accountFor } from './accounts.ts';
import { walletBalance } from './history.ts';
import { inTransaction, postTransaction } from './ledger.ts';

let deps: TestDeps;
/** Drizzle queries are thenables; `expect().rejects` wants a promise. */
const run = (query: PromiseLike<unknown>) => Promise.resolve(query);
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

describe('the database guards the ledger too', () => {
  test('an unbalanced transaction written around the code is refused at commit', async () => {
    const { user } = await createTestUser(deps);
    const wallet = await accountFor(deps.db, 'wallet', user.id, 16);
    const attempt = deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(ledgerTransactions)
        .values({ kind: 'adjustment', idempotencyKey: `raw:${crypto.randomUUID()}`, requestHash: 'x' })
        .returning();
      await tx.insert(ledgerEntries).values({ transactionId: row!.id, accountId: wallet.id, amount: 1_000 });
    });
    await expect(attempt).rejects.toThrow();
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
  });

  test('ledger rows cannot be edited or deleted', async () => {
    const { user } = await createTestUser(deps);
    await fundWallet(deps, user.id, 10);
    await expect(run(deps.db.execute(sql`update ledger_entries set amount = amount * 2`))).rejects.toThrow();
    await expect(run(deps.db.execute(sql`delete from ledger_transactions`))).rejects.toThrow();
  });

  test('a wallet balance row cannot go below zero even by hand', async () => {
    const { user } = await createTestUser(deps);
    const wallet = await accountFor(deps.db, 'wallet', user.id, 16);
    await expect(
      run(deps.db.execute(sql`update ledger_balances set balance = -1 where account_id = ${wallet.id}`)),
    ).rejects.toThrow();
  });

  test('code that posts an unbalanced set is stopped before it reaches the database', async () => {
    const { user } = await createTestUser(deps);
    const wallet = await accountFor(deps.db, 'wallet', user.id, 16);
    const issuance = await accountFor(deps.db, 'issuance', null, 16);
    await expect(
      inTransaction(deps.db, (tx) =>
        postTransaction(tx, {
          kind: 'adjustment',
          idempotencyKey: crypto.randomUUID(),
          request: {},
          postings: [
            { account: issuance, amount: -10 },
            { account: wallet, amount: 11 },
          ],
        }),
      ),
    ).rejects.toThrow(/summing to 0/);
  });
});

describe('a killed process', () => {
  test('leaves no half-written transaction behind', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    const viewers = await Promise.all(Array.from({ length: 8 }, () => createTestUser(deps)));
    await Promise.all(viewers.map((v) => fundWallet(deps, v.user.id, 100_000)));
    const child = Bun.spawn(['bun', join(import.meta.dir, 'fixtures', 'tip-loop.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: deps.database.url,
        STREAM_ID: stream.id,
        VIEWER_IDS: viewers.map((v) => v.user.id).join(','),
      },
      stdout: 'pipe',
      stderr: 'inherit',
    });
    // Kill it in the middle of its load: once it has committed some tips.
    const deadline = Date.now() + 20_000;
    let tips = 0;
    while (Date.now() < deadline) {
      const [row] = await deps.db
        .select({ n: count() })
        .from(ledgerTransactions)
        .where(eq(ledgerTransactions.kind, 'tip'));
      tips = Number(row!.n);
      if (tips >= 200) break;
      await Bun.sleep(50);
    }
    child.kill('SIGKILL');
    await child.exited;
    expect(tips).toBeGreaterThanOrEqual(200);
    await Bun.sleep(200);
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
    const [orphans] = (await deps.db.execute(
      sql`select count(*)::int as n from ledger_transactions t where not exists (select 1 from ledger_entries e where e.transaction_id = t.id)`,
    )) as unknown as [{ n: number }];
    expect(orphans?.n ?? 0).toBe(0);
  }, 40_000);
});
