import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ledgerAccounts, ledgerTransactions, purchases, stripeEvents, tokenPackages } from '@app/db/schema';
import { count, eq } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  manualClock,
  signedStripeEvent,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { walletBalance } from './history.ts';
import { applyStripeEvent, createPaymentIntent, paymentStatus, verifyStripeEvent } from './purchases.ts';
import { sendTip } from './tips.ts';

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let packageId: number;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({ stripe: fake.stripe });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Supporter', tokens: 500, bonusTokens: 25, priceCents: 4_999 })
    .returning();
  packageId = pack!.id;
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

/** What Stripe sends when the payment behind `intentId` succeeds (or is refunded / disputed). */
const intentObject = (intentId: string, overrides: Record<string, unknown> = {}) => ({
  id: intentId,
  object: 'payment_intent',
  amount: 4_999,
  amount_received: 4_999,
  currency: 'usd',
  status: 'succeeded',
  metadata: {},
  ...overrides,
});
const chargeObject = (intentId: string) => ({
  id: `ch_${crypto.randomUUID().slice(0, 12)}`,
  object: 'charge',
  amount: 4_999,
  amount_refunded: 4_999,
  currency: 'usd',
  payment_intent: intentId,
});
const disputeObject = (intentId: string) => ({
  id: `dp_${crypto.randomUUID().slice(0, 12)}`,
  object: 'dispute',
  amount: 4_999,
  currency: 'usd',
  payment_intent: intentId,
});

/** Delivers an event through signature verification, as the webhook endpoint does. */
async function deliver(type: string, object: Record<string, unknown>, id?: string, on: CoreDeps = deps) {
  const { payload, signature } = await signedStripeEvent(type, object, id);
  return applyStripeEvent(on, await verifyStripeEvent(on, payload, signature));
}

async function buyer() {
  const { user } = await createTestUser(deps);
  const started = await createPaymentIntent(deps, user.id, packageId);
  return { user, intentId: started.paymentIntentId, started };
}

describe('buying tokens', () => {
  test('creates a real PaymentIntent through the Stripe SDK and mints nothing until the webhook', async () => {
    const { user, intentId, started } = await buyer();
    expect(started.clientSecret).toStartWith(`${intentId}_secret_`);
    expect(started.publishableKey).toBe('pk_test_lumen_fake');
    const call = fake.calls.find(
      (c) => c.path === '/v1/payment_intents' && c.params['metadata[userId]'] === user.id,
    )!;
    expect(call.params).toMatchObject({
      amount: '4999',
      currency: 'usd',
      'automatic_payment_methods[enabled]': 'true',
    });
    expect(call.idempotencyKey).toStartWith('purchase:');
    expect(call.authorization).toBe('Bearer sk_test_lumen_fake');
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'pending' });
  });

  test('payment_intent.succeeded delivered three times mints once, with the bonus', async () => {
    const { user, intentId } = await buyer();
    const eventId = `evt_${crypto.randomUUID()}`;
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(await deliver('payment_intent.succeeded', intentObject(intentId), eventId));
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate']);
    // A second, distinct event for the same payment (Stripe can send one) mints nothing either.
    expect(await deliver('payment_intent.succeeded', intentObject(intentId))).toBe('ignored');
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(525);
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'succeeded' });
  });

  test('concurrent deliveries of the same event mint once', async () => {
    const { user, intentId } = await buyer();
    const { payload, signature } = await signedStripeEvent(
      'payment_intent.succeeded',
      intentObject(intentId),
    );
    const event = await verifyStripeEvent(deps, payload, signature);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => applyStripeEvent(deps, event)));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(525);
  });

  test('a forged or missing signature is refused and changes nothing', async () => {
    const { user, intentId } = await buyer();
    const { payload } = await signedStripeEvent('payment_intent.succeeded', intentObject(intentId));
    const [before] = await deps.db.select({ n: count() }).from(stripeEvents);
    await expect(verifyStripeEvent(deps, payload, 't=1,v1=deadbeef')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(verifyStripeEvent(deps, payload, null)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const tampered = payload.replace('"amount_received":4999', '"amount_received":1');
    const { signature } = await signedStripeEvent('payment_intent.succeeded', intentObject(intentId));
    await expect(verifyStripeEvent(deps, tampered, signature)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const [after] = await deps.db.select({ n: count() }).from(stripeEvents);
    expect(after!.n).toBe(before!.n);
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
  });

  test('an amount that does not match the package fails the purchase instead of minting', async () => {
    const { user, intentId } = await buyer();
    await deliver('payment_intent.succeeded', intentObject(intentId, { amount_received: 99 }));
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'failed' });
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
  });

  test('a failed payment is shown as failed with Stripe’s reason', async () => {
    const { user, intentId } = await buyer();
    await deliver(
      'payment_intent.payment_failed',
      intentObject(intentId, {
        status: 'requires_payment_method',
        last_payment_error: { message: 'Your card was declined.' },
      }),
    );
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({
      status: 'failed',
      failureReason: 'Your card was declined.',
    });
  });

  test('without Stripe keys, buying says payments are not configured', async () => {
    const { user } = await createTestUser(deps);
    await expect(createPaymentIntent({ ...deps, stripe: null }, user.id, packageId)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('not configured'),
    });
  });
});

describe('refunds and disputes claw back', () => {
  test('a refund takes the tokens back; a later dispute does not take them twice', async () => {
    const { user, intentId } = await buyer();
    await deliver('payment_intent.succeeded', intentObject(intentId));
    await deliver('charge.refunded', chargeObject(intentId));
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'refunded' });
    await deliver('charge.dispute.created', disputeObject(intentId));
    expect(await walletBalance(deps, user.id)).toMatchObject({
      walletTokens: 0,
      debtTokens: 0,
      frozen: false,
    });
  });

  test('a dispute after the tipped tokens matured records the shortfall as debt and freezes the wallet', async () => {
    const { user, intentId } = await buyer();
    await deliver('payment_intent.succeeded', intentObject(intentId));
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    await sendTip(deps, user.id, {
      streamId: stream.id,
      amountTokens: 400,
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    // Past the hold the tip is the streamer's: it stays, and the buyer owes it.
    const later = { ...deps, clock: manualClock(new Date(Date.now() + 73 * 3_600_000)) };
    await deliver('charge.dispute.created', disputeObject(intentId), undefined, later);
    expect(await walletBalance(later, user.id)).toMatchObject({
      walletTokens: 0,
      debtTokens: 400,
      frozen: true,
    });
    expect((await walletBalance(later, streamer.user.id)).earningsAvailableTokens).toBe(400);
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'disputed' });
    const [wallet] = await deps.db.select().from(ledgerAccounts).where(eq(ledgerAccounts.userId, user.id));
    expect(wallet).toBeDefined();
    // A frozen wallet cannot tip, whatever it holds.
    await fundWallet(deps, user.id, 10);
    await expect(
      sendTip(deps, user.id, {
        streamId: stream.id,
        amountTokens: 1,
        anonymous: false,
        idempotencyKey: crypto.randomUUID(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('out of order: a refund that arrives before the success means nothing is minted', async () => {
    const { user, intentId } = await buyer();
    await deliver('charge.refunded', chargeObject(intentId));
    await deliver('payment_intent.succeeded', intentObject(intentId));
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
    expect(await paymentStatus(deps, user.id, intentId)).toMatchObject({ status: 'refunded' });
    const [purchase] = await deps.db
      .select()
      .from(purchases)
      .where(eq(purchases.stripePaymentIntentId, intentId));
    const [moved] = await deps.db
      .select({ n: count() })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, `purchase:${purchase!.id}`));
    expect(moved!.n).toBe(0);
  });

  test('an event about a payment we never started is recorded and ignored', async () => {
    expect(await deliver('payment_intent.succeeded', intentObject('pi_unknown_123456'))).toBe('ignored');
  });
});
