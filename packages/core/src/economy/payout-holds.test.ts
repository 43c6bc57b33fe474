import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ledgerTransactions, notifications, tips, tokenPackages, withdrawals } from '@app/db/schema';
import { and, eq } from 'drizzle-orm';
import {
  buyTokens,
  chargeFor,
  createTestDeps,
  createTestStream,
  createTestUser,
  deliverStripeEvent,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { walletBalance } from './history.ts';
import { listOwnWithdrawals, requestWithdrawal, reviewWithdrawal } from './payouts.ts';
import { sendTip } from './tips.ts';

// Withdrawals of streamers tipped by a wallet that froze are held for an admin; a frozen wallet's next purchase
// pays its debt first. Scenarios age tips by hand: Postgres stamps them.

const HOLD_HOURS = 72;
const PAST_HOLD_MS = (HOLD_HOURS + 1) * 3_600_000;

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let stack: number;
let pile: number;
let admin: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({
    stripe: fake.stripe,
    economy: { earningsHoldHours: HOLD_HOURS },
  });
  const [small, big] = await deps.db
    .insert(tokenPackages)
    .values([
      { name: 'Stack', tokens: 3_300, priceCents: 29_999 },
      { name: 'Pile', tokens: 5_000, priceCents: 44_999 },
    ])
    .returning();
  stack = small!.id;
  pile = big!.id;
  admin = await createTestUser(deps, { role: 'admin' });
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

async function tip(fromId: string, streamId: string, amountTokens: number, { matured = false } = {}) {
  const sent = await sendTip(deps, fromId, {
    streamId,
    amountTokens,
    anonymous: false,
    idempotencyKey: key(),
  });
  if (matured) {
    await deps.db
      .update(tips)
      .set({ createdAt: new Date(Date.now() - PAST_HOLD_MS) })
      .where(eq(tips.id, sent.tip.id));
  }
  return sent;
}

/** A streamer with `tokens` of matured earnings from a fan in good standing. */
async function establishedStreamer(tokens: number) {
  const { user: streamer } = await createTestUser(deps, { role: 'streamer' });
  const stream = await createTestStream(deps, streamer.id);
  const { user: fan } = await createTestUser(deps);
  await fundWallet(deps, fan.id, tokens);
  await tip(fan.id, stream.id, tokens, { matured: true });
  return { streamer, stream };
}

/** A buyer who tipped a whole package away long ago and whose payment is then refunded: all of it is debt. */
/** The payout notifications a streamer was given, oldest first. */
async function payoutNotices(userId: string) {
  const rows = await deps.db
    .select({ payload: notifications.payload })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, 'payout')))
    .orderBy(notifications.id);
  return rows.map((row) => row.payload);
}

async function indebtedBuyer(packageId: number, tokens: number) {
  const { stream } = await establishedStreamer(1);
  const { user: buyer } = await createTestUser(deps);
  const intentId = await buyTokens(deps, buyer.id, packageId);
  await tip(buyer.id, stream.id, tokens, { matured: true });
  await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intentId));
  expect(await walletBalance(deps, buyer.id)).toMatchObject({
    walletTokens: 0,
    debtTokens: tokens,
    frozen: true,
  });
  return buyer;
}

describe('withdrawals of streamers tipped by a frozen or indebted wallet are held', () => {
  test('a pending withdrawal moves to held when a wallet that tipped the streamer inside the hold freezes', async () => {
    const { streamer, stream } = await establishedStreamer(2_000);
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 2_000,
      idempotencyKey: key(),
    });
    expect(withdrawal.status).toBe('pending');
    const { user: buyer } = await createTestUser(deps);
    const intentId = await buyTokens(deps, buyer.id, stack);
    const { streamer: other, stream: otherStream } = await establishedStreamer(1);
    await tip(buyer.id, otherStream.id, 3_000, { matured: true });
    await tip(buyer.id, stream.id, 300);
    await deliverStripeEvent(deps, 'charge.dispute.created', chargeFor(intentId, 'dispute'));
    // The pending 300 went back; the matured 3,000 is debt, and the wallet froze.
    expect(await walletBalance(deps, buyer.id)).toMatchObject({ debtTokens: 3_000, frozen: true });
    const [held] = await deps.db.select().from(withdrawals).where(eq(withdrawals.id, withdrawal.id));
    expect(held!.status).toBe('held');
    expect(await payoutNotices(streamer.id)).toEqual([
      expect.objectContaining({ withdrawalId: withdrawal.id, status: 'held', amountTokens: 2_000 }),
    ]);
    expect(held!.holdReason).toBe(
      `Tipped in the last 72 hours by a wallet frozen or in debt after a reversed payment: @${buyer.username} (300 tokens, owes 3,000).`,
    );
    // The other streamer was tipped before the hold window: their earnings are theirs.
    const theirs = await requestWithdrawal(deps, other.id, { amountTokens: 3_001, idempotencyKey: key() });
    expect(theirs.status).toBe('pending');
  });

  test('a new withdrawal after tips from an indebted wallet is held at once, with its reason', async () => {
    const { streamer, stream } = await establishedStreamer(1_500);
    const { stream: elsewhere } = await establishedStreamer(1);
    const { user: buyer } = await createTestUser(deps);
    const intentId = await buyTokens(deps, buyer.id, stack);
    await tip(buyer.id, elsewhere.id, 3_000, { matured: true });
    await tip(buyer.id, stream.id, 300);
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intentId));
    expect(await walletBalance(deps, buyer.id)).toMatchObject({ debtTokens: 3_000, frozen: true });
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_000,
      idempotencyKey: key(),
    });
    expect(withdrawal.status).toBe('held');
    // Told once, without the reason (it names tippers).
    const notices = await payoutNotices(streamer.id);
    expect(notices).toEqual([expect.objectContaining({ withdrawalId: withdrawal.id, status: 'held' })]);
    expect(JSON.stringify(notices)).not.toContain(buyer.username);
    const [row] = await deps.db.select().from(withdrawals).where(eq(withdrawals.id, withdrawal.id));
    expect(row!.holdReason).toContain(`@${buyer.username} (300 tokens, owes 3,000)`);
    // The streamer sees that it is held, not who is behind it (an anonymous tipper stays anonymous).
    const own = await listOwnWithdrawals(deps, streamer.id, { limit: 10 });
    expect(own.items[0]).toMatchObject({ id: withdrawal.id, status: 'held' });
    expect(own.items[0]).not.toHaveProperty('holdReason');
    expect(withdrawal).not.toHaveProperty('holdReason');
  });

  test('a held withdrawal is approved only by the explicit held-payout action, with a note', async () => {
    const { streamer, stream } = await establishedStreamer(1_000);
    const { user: buyer } = await createTestUser(deps);
    const intentId = await buyTokens(deps, buyer.id, stack);
    await tip(buyer.id, stream.id, 3_200, { matured: true });
    await tip(buyer.id, stream.id, 100);
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intentId));
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_000,
      idempotencyKey: key(),
    });
    expect(withdrawal.status).toBe('held');
    const review = (action: 'approve' | 'approveHeld', note?: string) =>
      reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action, note });
    await expect(review('approve')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('This withdrawal is held for review: Tipped in the last 72 hours'),
    });
    await expect(review('approveHeld')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const approved = await review('approveHeld', 'Known regular; the tipper’s card was a family mix-up.');
    expect(approved.status).toBe('approved');
    expect(approved.holdReason).toStartWith('Tipped in the last 72 hours');
  });
});

describe('a frozen wallet’s next purchase pays its debt first', () => {
  test('new tokens settle the debt, the rest reaches the wallet, and the wallet unfreezes', async () => {
    const buyer = await indebtedBuyer(stack, 3_300);
    await buyTokens(deps, buyer.id, pile);
    expect(await walletBalance(deps, buyer.id)).toMatchObject({
      walletTokens: 1_700,
      debtTokens: 0,
      frozen: false,
    });
    const mints = await deps.db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.kind, 'purchase'));
    expect(mints.filter((row) => row.metadata.debtSettledTokens === 3_300)).toHaveLength(1);
  });

  test('a purchase smaller than the debt pays part of it and the wallet stays frozen', async () => {
    const buyer = await indebtedBuyer(pile, 5_000);
    await buyTokens(deps, buyer.id, stack);
    expect(await walletBalance(deps, buyer.id)).toMatchObject({
      walletTokens: 0,
      debtTokens: 1_700,
      frozen: true,
    });
    await buyTokens(deps, buyer.id, stack);
    expect(await walletBalance(deps, buyer.id)).toMatchObject({
      walletTokens: 1_600,
      debtTokens: 0,
      frozen: false,
    });
  });
});
