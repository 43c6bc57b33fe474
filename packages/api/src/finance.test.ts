import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { tipInRoom } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  type TestDeps,
} from '@app/core/testing';
import { ledgerBalances, purchases, tokenPackages } from '@app/db/schema';
import { callerFor, trpcRefusal } from './testing.ts';

/** 2026-12-04 12:00 UTC: the report's "today". */
const NOW = new Date('2026-12-04T12:00:00.000Z');
let deps: TestDeps;
let admin: Awaited<ReturnType<typeof callerFor>>['caller'];
let viewer: { id: string; username: string };
let tipId: number;

beforeAll(async () => {
  deps = await createTestDeps({ clock: { now: () => NOW } });
  admin = (await callerFor(deps, (await createTestUser(deps, { role: 'admin' })).token)).caller;
  viewer = (await createTestUser(deps, { username: 'finance_viewer' })).user;
  const streamer = (await createTestUser(deps, { role: 'streamer', username: 'finance_streamer' })).user;
  const stream = await createTestStream(deps, streamer.id);
  await fundWallet(deps, viewer.id, 1_000);
  const sent = await tipInRoom(deps, viewer.id, {
    streamId: stream.id,
    amountTokens: 40,
    anonymous: false,
    idempotencyKey: 'finance-tip-0001',
  });
  tipId = sent.tip.id;
  // The tip row takes the database's clock; set it to yesterday's last millisecond to pin the report's edge.
  await deps.database.query(`update tips set created_at = '2026-12-03T23:59:59.999Z' where id = $1`, [tipId]);
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Starter', tokens: 100, bonusTokens: 10, priceCents: 499 })
    .returning();
  const purchase = (status: 'succeeded' | 'refunded' | 'disputed' | 'failed', at: string) => ({
    userId: viewer.id,
    packageId: pack!.id,
    tokens: 100,
    bonusTokens: 10,
    priceCents: 499,
    currency: 'usd',
    status,
    createdAt: new Date(at),
    updatedAt: new Date(at),
  });
  await deps.db
    .insert(purchases)
    .values([
      purchase('succeeded', '2026-12-03T23:59:59.999Z'),
      purchase('refunded', '2026-12-04T00:00:00.000Z'),
      purchase('disputed', '2026-12-04T00:00:00.000Z'),
      purchase('failed', '2026-12-04T01:00:00.000Z'),
      purchase('succeeded', '2026-11-01T10:00:00.000Z'),
    ]);
});
afterAll(() => deps.database.drop());

describe('admin.finance', () => {
  test('the daily report counts each UTC day apart and has every day of the period', async () => {
    const { days } = await admin.admin.finance.report({ days: 3 });
    expect(days.map((day) => day.day)).toEqual(['2026-12-04', '2026-12-03', '2026-12-02']);
    const [today, yesterday, before] = days;
    expect(today).toMatchObject({
      purchases: 2,
      refunds: 1,
      disputes: 1,
      tokensBought: 200,
      bonusTokens: 20,
    });
    expect(today!.revenueCents).toEqual({ usd: 998 });
    expect(yesterday).toMatchObject({
      purchases: 1,
      refunds: 0,
      tokensBought: 100,
      revenueCents: { usd: 499 },
    });
    expect(before).toMatchObject({ purchases: 0, tokensTipped: 0, revenueCents: {} });
    expect(yesterday!.tokensTipped).toBe(40);
    expect(today!.tokensTipped).toBe(0);
    const refused = await trpcRefusal(admin.admin.finance.report({ days: 91 }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain('at most 90 days');
  });

  test('purchases page newest first, filter by status, and go on from a cursor without repeats', async () => {
    const first = await admin.admin.finance.purchases({ limit: 2 });
    const second = await admin.admin.finance.purchases({ limit: 2, cursor: first.nextCursor });
    const third = await admin.admin.finance.purchases({ limit: 2, cursor: second.nextCursor });
    const ids = [...first.items, ...second.items, ...third.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
    expect(first.items[0]!.buyer.username).toBe('finance_viewer');
    const disputed = await admin.admin.finance.purchases({ status: 'disputed' });
    expect(disputed.items.map((item) => item.status)).toEqual(['disputed']);
    expect((await trpcRefusal(admin.admin.finance.purchases({ cursor: 'not-a-cursor' }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  test('the ledger explorer shows a transaction’s balanced entries and an account’s balance and entries', async () => {
    const tips = await deps.database.query<{ id: string }>(
      `select ledger_transaction_id::text as id from tips where id = $1`,
      [tipId],
    );
    const found = await admin.admin.finance.ledger({ kind: 'transaction', id: Number(tips[0]!.id) });
    if (found.kind !== 'transaction') throw new Error('expected a transaction');
    expect(found.transaction.kind).toBe('tip');
    expect(found.entries.reduce((sum, entry) => sum + entry.amount, 0)).toBe(0);
    const wallet = found.entries.find((entry) => entry.owner?.username === 'finance_viewer')!;
    expect(wallet).toMatchObject({ accountKind: 'wallet', amount: -40 });
    const account = await admin.admin.finance.ledger({ kind: 'account', id: wallet.accountId });
    if (account.kind !== 'account') throw new Error('expected an account');
    expect(account.account).toMatchObject({
      kind: 'wallet',
      balance: 960,
      owner: { username: 'finance_viewer' },
    });
    expect(account.entries.map((entry) => entry.amount)).toEqual([-40, 1_000]);
    expect((await trpcRefusal(admin.admin.finance.ledger({ kind: 'transaction', id: 999_999 }))).code).toBe(
      'NOT_FOUND',
    );
  });

  test('the conservation check is green on a sound ledger and red the moment a balance is tampered with', async () => {
    const sound = await admin.admin.finance.check();
    expect(sound).toMatchObject({
      healthy: true,
      sumOfBalances: 0,
      unbalancedTransactions: 0,
      negativeBalances: 0,
    });
    const [row] = await deps.db.select().from(ledgerBalances).limit(1);
    await deps.database.query(
      'update ledger_balances set balance = balance + 7 where account_id = $1 and shard = $2',
      [row!.accountId, row!.shard],
    );
    const broken = await admin.admin.finance.check();
    expect(broken.healthy).toBe(false);
    expect(broken.sumOfBalances).toBe(7);
    expect(broken.accountsWhoseBalanceDiffersFromEntries).toBe(1);
    await deps.database.query(
      'update ledger_balances set balance = balance - 7 where account_id = $1 and shard = $2',
      [row!.accountId, row!.shard],
    );
    expect((await admin.admin.finance.check()).healthy).toBe(true);
  });
});
