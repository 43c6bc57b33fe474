import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { withdrawals } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '../testing.ts';
import { transactionHistory, walletBalance } from './history.ts';
import { listWithdrawals, requestWithdrawal, reviewWithdrawal } from './payouts.ts';
import { sendTip } from './tips.ts';

let deps: TestDeps;
let admin: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  // These tests are about the review steps, so tips are withdrawable at once; the hold is tested in
  // chargebacks.test.ts.
  deps = await createTestDeps({ economy: { earningsHoldHours: 0 } });
  admin = await createTestUser(deps, { role: 'admin' });
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

/** A streamer who has earned `tokens` from one fan's tips. */
async function earner(tokens: number) {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const fan = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, fan.user.id, tokens);
  await sendTip(deps, fan.user.id, {
    streamId: stream.id,
    amountTokens: tokens,
    anonymous: false,
    idempotencyKey: crypto.randomUUID(),
  });
  return streamer.user;
}

describe('withdrawals', () => {
  test('a request moves earnings aside at the payout rate; paying it retires the tokens', async () => {
    const streamer = await earner(2_500);
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 2_000,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(withdrawal).toMatchObject({ status: 'pending', amountTokens: 2_000, payoutCents: 10_000 });
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(500);
    const approved = await reviewWithdrawal(deps, admin.user.id, {
      withdrawalId: withdrawal.id,
      action: 'approve',
    });
    expect(approved.status).toBe('approved');
    const paid = await reviewWithdrawal(deps, admin.user.id, {
      withdrawalId: withdrawal.id,
      action: 'markPaid',
    });
    expect(paid.status).toBe('paid');
    expect(paid.paidAt).not.toBeNull();
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(500);
    const history = await transactionHistory(deps, streamer.id, { limit: 10 });
    expect(history.items.map((item) => [item.kind, item.amountTokens])).toEqual([
      ['withdrawal', -2_000],
      ['tip', 2_500],
    ]);
  });

  test('a rejection returns the tokens to earnings, through a reversing transaction', async () => {
    const streamer = await earner(1_200);
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_200,
      idempotencyKey: crypto.randomUUID(),
    });
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(0);
    const rejected = await reviewWithdrawal(deps, admin.user.id, {
      withdrawalId: withdrawal.id,
      action: 'reject',
      note: 'Bank details missing',
    });
    expect(rejected).toMatchObject({ status: 'rejected', note: 'Bank details missing' });
    expect(rejected.reversalTransactionId).not.toBeNull();
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(1_200);
  });

  test('steps out of order are refused and move nothing', async () => {
    const streamer = await earner(1_000);
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_000,
      idempotencyKey: crypto.randomUUID(),
    });
    await expect(
      reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action: 'markPaid' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action: 'reject' });
    await expect(
      reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action: 'reject' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action: 'approve' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(1_000);
  });

  test('below the minimum, above the earnings, or a reused key with another amount: refused', async () => {
    const streamer = await earner(1_500);
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 999, idempotencyKey: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 1_501, idempotencyKey: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    const idempotencyKey = crypto.randomUUID();
    const first = await requestWithdrawal(deps, streamer.id, { amountTokens: 1_000, idempotencyKey });
    const again = await requestWithdrawal(deps, streamer.id, { amountTokens: 1_000, idempotencyKey });
    expect(again.id).toBe(first.id);
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 1_100, idempotencyKey }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(500);
    const mine = await listWithdrawals(deps, { userId: streamer.id, limit: 10 });
    expect(mine.items).toHaveLength(1);
  });

  test('concurrent withdrawals never take more than the earnings', async () => {
    const streamer = await earner(3_000);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestWithdrawal(deps, streamer.id, {
          amountTokens: 1_000,
          idempotencyKey: crypto.randomUUID(),
        }).then(
          () => 'ok',
          (error) => error.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(0);
    const rows = await deps.db.select().from(withdrawals).where(eq(withdrawals.userId, streamer.id));
    expect(rows).toHaveLength(3);
  });
});
