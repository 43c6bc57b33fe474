import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { ledgerTransactions, tips, tokenPackages, withdrawals } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import type { BusEvent } from '../kernel/ports.ts';
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
  manualClock,
  signedStripeEvent,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { tipAnalytics, walletBalance } from './history.ts';
import { requestWithdrawal, reviewWithdrawal } from './payouts.ts';
import { applyStripeEvent, verifyStripeEvent } from './purchases.ts';
import { sendTip } from './tips.ts';

// The stolen-card loop from issue 10: a buyer tips a purchase away to a streamer, the streamer asks to be paid,
// then the card's owner has the payment refunded or disputed. Every scenario starts its clock at the real now
// (tips are stamped by Postgres) and moves it past the hold by hand.

const HOLD_HOURS = 72;
const PAST_HOLD_SECONDS = (HOLD_HOURS + 1) * 3_600;

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let clock = manualClock(new Date());
let packageId: number;
let admin: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({
    stripe: fake.stripe,
    clock: { now: () => clock.now() },
    economy: { earningsHoldHours: HOLD_HOURS },
  });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Stack', tokens: 3_300, priceCents: 29_999 })
    .returning();
  packageId = pack!.id;
  admin = await createTestUser(deps, { role: 'admin' });
});
beforeEach(() => {
  clock = manualClock(new Date());
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

const deliver = (type: string, object: Record<string, unknown>) => deliverStripeEvent(deps, type, object);
const buy = (userId: string) => buyTokens(deps, userId, packageId);
const refund = (intentId: string) => chargeFor(intentId);

async function streamerWithStream() {
  const { user } = await createTestUser(deps, { role: 'streamer' });
  return { streamer: user, stream: await createTestStream(deps, user.id) };
}

const tip = (fromId: string, streamId: string, amountTokens: number) =>
  sendTip(deps, fromId, { streamId, amountTokens, anonymous: false, idempotencyKey: key() });

/** Every token in a scenario's hands: what the buyer holds or owes and the streamer's earnings and payouts. */
async function outOfPocket(buyerId: string, streamerId: string) {
  const buyer = await walletBalance(deps, buyerId);
  const streamer = await walletBalance(deps, streamerId);
  const unpaid = await deps.db.select().from(withdrawals).where(eq(withdrawals.userId, streamerId));
  return {
    buyerDebt: buyer.debtTokens,
    streamerEarnings: streamer.earningsTokens,
    streamerWithdrawals: unpaid.reduce((sum, w) => sum + (w.status === 'rejected' ? 0 : w.amountTokens), 0),
  };
}

describe('earnings mature before they can be withdrawn', () => {
  test('tips are pending for the hold, then available; a withdrawal draws only on available', async () => {
    const { streamer, stream } = await streamerWithStream();
    const { user: fan } = await createTestUser(deps);
    await fundWallet(deps, fan.id, 1_500);
    await tip(fan.id, stream.id, 1_200);
    const sentAt = clock.now().getTime();
    const pending = await walletBalance(deps, streamer.id);
    expect(pending).toMatchObject({
      earningsTokens: 1_200,
      earningsPendingTokens: 1_200,
      earningsAvailableTokens: 0,
      earningsHoldHours: HOLD_HOURS,
    });
    expect(pending.earningsNextMaturity?.tokens).toBe(1_200);
    const maturesIn = pending.earningsNextMaturity!.at.getTime() - sentAt;
    expect(Math.abs(maturesIn - HOLD_HOURS * 3_600_000)).toBeLessThan(60_000);
    const refused = requestWithdrawal(deps, streamer.id, { amountTokens: 1_000, idempotencyKey: key() });
    await expect(refused).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      message: expect.stringContaining(
        'You can withdraw up to 0 tokens now. 1,200 more are tips still maturing',
      ),
    });
    clock.advance(PAST_HOLD_SECONDS);
    expect(await walletBalance(deps, streamer.id)).toMatchObject({
      earningsPendingTokens: 0,
      earningsAvailableTokens: 1_200,
      earningsNextMaturity: null,
    });
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_200,
      idempotencyKey: key(),
    });
    expect(withdrawal.status).toBe('pending');
    expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(0);
  });

  test('with matured and pending tips together, only the matured part can be withdrawn', async () => {
    const { streamer, stream } = await streamerWithStream();
    const { user: fan } = await createTestUser(deps);
    await fundWallet(deps, fan.id, 1_500);
    const old = await tip(fan.id, stream.id, 1_200);
    // Tips are stamped by Postgres: age this one past the hold instead of moving the clock.
    await deps.db
      .update(tips)
      .set({ createdAt: new Date(Date.now() - PAST_HOLD_SECONDS * 1000) })
      .where(eq(tips.id, old.tip.id));
    await tip(fan.id, stream.id, 300);
    expect(await walletBalance(deps, streamer.id)).toMatchObject({
      earningsTokens: 1_500,
      earningsPendingTokens: 300,
      earningsAvailableTokens: 1_200,
    });
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 1_201, idempotencyKey: key() }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    const idempotencyKey = key();
    const first = await requestWithdrawal(deps, streamer.id, { amountTokens: 1_200, idempotencyKey });
    // A replay after the earnings moved answers the first withdrawal rather than a refusal.
    const again = await requestWithdrawal(deps, streamer.id, { amountTokens: 1_200, idempotencyKey });
    expect(again.id).toBe(first.id);
    expect(await walletBalance(deps, streamer.id)).toMatchObject({
      earningsTokens: 300,
      earningsPendingTokens: 300,
      earningsAvailableTokens: 0,
    });
  });
});

describe('a refund or dispute follows the tipped tokens', () => {
  test('the stolen-card loop inside the hold leaves the platform out of pocket by zero tokens', async () => {
    const { streamer, stream } = await streamerWithStream();
    const { user: thief } = await createTestUser(deps);
    const heard: BusEvent[] = [];
    const stop = deps.bus.subscribe(`user:${streamer.id}`, (event) => heard.push(event));
    const intentId = await buy(thief.id);
    const sent = await tip(thief.id, stream.id, 3_300);
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 3_300, idempotencyKey: key() }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });

    const { payload, signature } = await signedStripeEvent('charge.refunded', refund(intentId));
    const event = await verifyStripeEvent(deps, payload, signature);
    expect(await applyStripeEvent(deps, event)).toBe('applied');
    stop();

    expect(await outOfPocket(thief.id, streamer.id)).toEqual({
      buyerDebt: 0,
      streamerEarnings: 0,
      streamerWithdrawals: 0,
    });
    expect(await walletBalance(deps, thief.id)).toMatchObject({ walletTokens: 0, frozen: false });
    expect(heard).toContainEqual({ type: 'earnings.changed', amountTokens: -3_300, reason: 'tip_reversal' });
    expect(await tipAnalytics(deps, streamer.id, '7d')).toMatchObject({ totalTokens: 0, tipCount: 1 });
    // The tip row stays, marked, and its reversal is a ledger transaction linked to the tip's own.
    const [row] = await deps.db.select().from(tips).where(eq(tips.id, sent.tip.id));
    expect(row).toMatchObject({ amountTokens: 3_300, reversedTokens: 3_300 });
    expect(row!.reversedAt).not.toBeNull();
    const [reversal] = await deps.db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, row!.reversalTransactionId!));
    expect(reversal).toMatchObject({
      kind: 'tip_reversal',
      idempotencyKey: `tip-reversal:${sent.tip.id}`,
      reversesId: row!.ledgerTransactionId,
    });

    // Past the hold there is still nothing to withdraw, and the refund's replays change nothing.
    clock.advance(PAST_HOLD_SECONDS);
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 1_000, idempotencyKey: key() }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await applyStripeEvent(deps, event)).toBe('duplicate');
    expect(await deliver('charge.refunded', refund(intentId))).toBe('ignored');
    expect(await deliver('charge.dispute.created', chargeFor(intentId, 'dispute'))).toBe('applied');
    expect(await outOfPocket(thief.id, streamer.id)).toEqual({
      buyerDebt: 0,
      streamerEarnings: 0,
      streamerWithdrawals: 0,
    });
    const reversals = await deps.db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, `tip-reversal:${sent.tip.id}`));
    expect(reversals).toHaveLength(1);
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  });

  test('tips before the purchase are not its; of a larger tip only the purchased part goes back', async () => {
    const { streamer, stream } = await streamerWithStream();
    const { user: buyer } = await createTestUser(deps);
    await fundWallet(deps, buyer.id, 700);
    const before = await tip(buyer.id, stream.id, 200);
    const intentId = await buy(buyer.id);
    const mixed = await tip(buyer.id, stream.id, 3_800);
    await deliver('charge.refunded', refund(intentId));
    const rows = await deps.db.select().from(tips).where(eq(tips.fromUserId, buyer.id));
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(before.tip.id)!.reversedAt).toBeNull();
    expect(byId.get(mixed.tip.id)).toMatchObject({ amountTokens: 3_800, reversedTokens: 3_300 });
    expect(await walletBalance(deps, buyer.id)).toMatchObject({ walletTokens: 0, debtTokens: 0 });
    expect(await walletBalance(deps, streamer.id)).toMatchObject({
      earningsTokens: 700,
      earningsPendingTokens: 700,
    });
  });

  test('a chargeback after the tips matured leaves the streamer paid and the buyer in debt', async () => {
    const { streamer, stream } = await streamerWithStream();
    const { user: buyer } = await createTestUser(deps);
    const intentId = await buy(buyer.id);
    await tip(buyer.id, stream.id, 3_300);
    clock.advance(PAST_HOLD_SECONDS);
    const withdrawal = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 3_300,
      idempotencyKey: key(),
    });
    expect(withdrawal.status).toBe('pending');
    await deliver('charge.dispute.created', chargeFor(intentId, 'dispute'));
    expect(await walletBalance(deps, buyer.id)).toMatchObject({
      walletTokens: 0,
      debtTokens: 3_300,
      frozen: true,
    });
    await reviewWithdrawal(deps, admin.user.id, { withdrawalId: withdrawal.id, action: 'approve' });
    const paid = await reviewWithdrawal(deps, admin.user.id, {
      withdrawalId: withdrawal.id,
      action: 'markPaid',
    });
    expect(paid.status).toBe('paid');
    const rows = await deps.db.select().from(tips).where(eq(tips.fromUserId, buyer.id));
    expect(rows.map((row) => row.reversedAt)).toEqual([null]);
  });
});
