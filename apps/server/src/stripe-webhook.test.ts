import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  createGoal,
  createPaymentIntent,
  currentGoal,
  listGoals,
  projectUntilCaughtUp,
  ROOM_ECONOMY,
  requestWithdrawal,
  tipInRoom,
  walletBalance,
} from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  HEALTHY_LEDGER,
  ledgerInvariants,
  signedStripeEvent,
  startStripeFake,
  type TestDeps,
} from '@app/core/testing';
import { stripeEvents, tips, tokenPackages } from '@app/db/schema';
import { count, eq } from 'drizzle-orm';
import { type App, createApp } from './app.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let app: App;
let packageId: number;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({ stripe: fake.stripe });
  app = createApp({
    runtime: { deps, database: deps.database, redis: null, close: async () => {} },
    env: parseEnv({ DATABASE_URL: deps.database.url }),
    log: createLogger('silent'),
  });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Fan', tokens: 1_000, bonusTokens: 75, priceCents: 9_999 })
    .returning();
  packageId = pack!.id;
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

const post = (payload: string, signature?: string) =>
  app.handle(
    new Request('http://localhost:3000/webhooks/stripe', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'stripe-signature': signature } : {}),
      },
      body: payload,
    }),
  );

async function startedPurchase() {
  const { user } = await createTestUser(deps);
  const { paymentIntentId } = await createPaymentIntent(deps, user.id, packageId);
  const succeeded = await signedStripeEvent('payment_intent.succeeded', {
    id: paymentIntentId,
    object: 'payment_intent',
    amount: 9_999,
    amount_received: 9_999,
    currency: 'usd',
    status: 'succeeded',
  });
  return { user, succeeded };
}

describe('POST /webhooks/stripe', () => {
  test('a signed payment_intent.succeeded sent three times mints once', async () => {
    const { user, succeeded } = await startedPurchase();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await post(succeeded.payload, succeeded.signature);
      statuses.push([response.status, ((await response.json()) as { outcome: string }).outcome]);
    }
    expect(statuses).toEqual([
      [200, 'applied'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(1_075);
  });

  test('a forged or missing signature gets 400 and changes nothing', async () => {
    const { user, succeeded } = await startedPurchase();
    const [before] = await deps.db.select({ n: count() }).from(stripeEvents);
    const forged = await post(
      succeeded.payload,
      't=1700000000,v1=0000000000000000000000000000000000000000000000000000000000000000',
    );
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: string }).error).toContain('signature');
    expect((await post(succeeded.payload)).status).toBe(400);
    const [after] = await deps.db.select({ n: count() }).from(stripeEvents);
    expect(after!.n).toBe(before!.n);
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(0);
  });

  test('the stolen-card loop: a signed charge.refunded inside the hold takes the tip back from the streamer', async () => {
    const { user: thief, succeeded } = await startedPurchase();
    await post(succeeded.payload, succeeded.signature);
    const { user: streamer } = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.id);
    await createGoal(deps, streamer, { title: 'New mic', targetTokens: 2_000 });
    const sent = await tipInRoom(deps, thief.id, {
      streamId: stream.id,
      amountTokens: 1_075,
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    expect(await currentGoal(deps, stream.id)).toMatchObject({ progressTokens: 1_075 });
    await expect(
      requestWithdrawal(deps, streamer.id, { amountTokens: 1_000, idempotencyKey: crypto.randomUUID() }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    const refunded = await signedStripeEvent('charge.refunded', {
      id: 'ch_stolen_card',
      object: 'charge',
      currency: 'usd',
      payment_intent: JSON.parse(succeeded.payload).data.object.id,
    });
    const response = await post(refunded.payload, refunded.signature);
    expect(((await response.json()) as { outcome: string }).outcome).toBe('applied');
    expect(await walletBalance(deps, thief.id)).toMatchObject({ walletTokens: 0, debtTokens: 0 });
    expect(await walletBalance(deps, streamer.id)).toMatchObject({ earningsTokens: 0 });
    // Once the projector reads the reversal, the goal no longer counts the reversed tip.
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    expect(await currentGoal(deps, stream.id)).toMatchObject({ progressTokens: 0, reachedAt: null });
    expect((await listGoals(deps, null, stream.id)).active?.title).toBe('New mic');
    const [row] = await deps.db.select().from(tips).where(eq(tips.id, sent.tip.id));
    expect(row).toMatchObject({ amountTokens: 1_075, reversedTokens: 1_075 });
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  });

  test("a body over Stripe's 512 KB is refused with 413 and a sentence before it is verified", async () => {
    const { payload, signature } = await signedStripeEvent('payment_intent.succeeded', {
      id: 'pi_oversized',
      object: 'payment_intent',
      metadata: { padding: 'x'.repeat(520 * 1024) },
    });
    const response = await post(payload, signature);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: 'The request body is larger than 512 KB, the most this endpoint accepts.',
    });
    const withinLimit = await post(JSON.stringify({ padding: 'x'.repeat(400 * 1024) }), 'forged');
    expect(withinLimit.status).toBe(400);
  });

  test('answers 503 when payments are not configured', async () => {
    const unconfigured = createApp({
      runtime: {
        deps: { ...deps, stripe: null },
        database: deps.database,
        redis: null,
        close: async () => {},
      },
      env: parseEnv({ DATABASE_URL: deps.database.url }),
      log: createLogger('silent'),
    });
    const response = await unconfigured.handle(
      new Request('http://localhost:3000/webhooks/stripe', { method: 'POST', body: '{}' }),
    );
    expect(response.status).toBe(503);
  });
});

describe('Stripe settings', () => {
  test('a secret key without the webhook secret stops start-up with a sentence', () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/go together/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(
      /STRIPE_SECRET_KEY is not valid/,
    );
  });
});

describe('earnings hold setting', () => {
  test('EARNINGS_HOLD_HOURS defaults to 72 hours and refuses what is not a whole number of hours', () => {
    expect(parseEnv({}).EARNINGS_HOLD_HOURS).toBe(72);
    expect(parseEnv({ EARNINGS_HOLD_HOURS: '0' }).EARNINGS_HOLD_HOURS).toBe(0);
    expect(() => parseEnv({ EARNINGS_HOLD_HOURS: '-1' })).toThrow(/EARNINGS_HOLD_HOURS/);
    expect(() => parseEnv({ EARNINGS_HOLD_HOURS: '1.5' })).toThrow(/EARNINGS_HOLD_HOURS/);
  });
});
