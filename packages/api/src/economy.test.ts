import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { requestWithdrawal, sendTip } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  startStripeFake,
  type TestDeps,
} from '@app/core/testing';
import { ledgerTransactions, tokenPackages, withdrawals } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

type Role = 'anonymous' | 'viewer' | 'streamer' | 'moderator' | 'admin' | 'banned';
const ROLES: Role[] = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin', 'banned'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let packageId: number;
let liveStream: { id: string };

beforeAll(async () => {
  fake = startStripeFake();
  // Tips are withdrawable at once here: these tests are about who may call what, not the earnings hold.
  deps = await createTestDeps({ stripe: fake.stripe, economy: { earningsHoldHours: 0 } });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Fan', tokens: 200, priceCents: 1_999 })
    .returning();
  packageId = pack!.id;
  const host = await createTestUser(deps, { role: 'streamer' });
  liveStream = await createTestStream(deps, host.user.id);
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

async function actAs(role: Role) {
  if (role === 'anonymous') return { ...(await callerFor(deps, null)), user: null };
  const { user, token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
  });
  await fundWallet(deps, user.id, 5_000);
  return { ...(await callerFor(deps, token)), user };
}
type Actor = Awaited<ReturnType<typeof actAs>>;

/** A streamer with a pending withdrawal for an admin to review. */
async function pendingWithdrawal() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const fan = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, fan.user.id, 1_000);
  await sendTip(deps, fan.user.id, {
    streamId: stream.id,
    amountTokens: 1_000,
    anonymous: false,
    idempotencyKey: key(),
  });
  return requestWithdrawal(deps, streamer.user.id, { amountTokens: 1_000, idempotencyKey: key() });
}

/** A withdrawal held for review (as a freeze of a wallet that tipped the streamer leaves it). */
async function heldWithdrawal() {
  const withdrawal = await pendingWithdrawal();
  await deps.db
    .update(withdrawals)
    .set({ status: 'held', holdReason: 'Tipped by a frozen wallet.' })
    .where(eq(withdrawals.id, withdrawal.id));
  return withdrawal;
}

/** Gives the actor earnings by tipping one of their streams. */
async function earn(actor: Actor, tokens: number) {
  const stream = await createTestStream(deps, actor.user!.id);
  const fan = await createTestUser(deps);
  await fundWallet(deps, fan.user.id, tokens);
  await sendTip(deps, fan.user.id, {
    streamId: stream.id,
    amountTokens: tokens,
    anonymous: false,
    idempotencyKey: key(),
  });
}

const signedIn: Record<Role, Outcome> = {
  anonymous: 'UNAUTHORIZED',
  banned: 'UNAUTHORIZED',
  viewer: 'ok',
  streamer: 'ok',
  moderator: 'ok',
  admin: 'ok',
};
const streamers: Record<Role, Outcome> = { ...signedIn, viewer: 'FORBIDDEN', moderator: 'FORBIDDEN' };
const admins: Record<Role, Outcome> = {
  ...signedIn,
  viewer: 'FORBIDDEN',
  streamer: 'FORBIDDEN',
  moderator: 'FORBIDDEN',
};
const everyone: Record<Role, Outcome> = {
  anonymous: 'ok',
  banned: 'ok',
  viewer: 'ok',
  streamer: 'ok',
  moderator: 'ok',
  admin: 'ok',
};

const MATRIX: Array<[string, (a: Actor) => Promise<unknown>, Record<Role, Outcome>]> = [
  ['payments.packages', (a) => a.caller.payments.packages(), everyone],
  ['payments.createPaymentIntent', (a) => a.caller.payments.createPaymentIntent({ packageId }), signedIn],
  [
    'payments.confirmPayment',
    async (a) => {
      const started = a.user
        ? await a.caller.payments.createPaymentIntent({ packageId })
        : { paymentIntentId: 'pi_nobody_1234' };
      return a.caller.payments.confirmPayment({ paymentIntentId: started.paymentIntentId });
    },
    signedIn,
  ],
  ['payments.purchases', (a) => a.caller.payments.purchases({}), signedIn],
  ['payments.transactions', (a) => a.caller.payments.transactions({}), signedIn],
  [
    'tips.send',
    (a) => a.caller.tips.send({ streamId: liveStream.id, amountTokens: 5, idempotencyKey: key() }),
    signedIn,
  ],
  ['tips.sent', (a) => a.caller.tips.sent({}), signedIn],
  ['tips.received', (a) => a.caller.tips.received({}), streamers],
  ['tips.analytics', (a) => a.caller.tips.analytics({ range: '7d' }), streamers],
  ['wallet.balance', (a) => a.caller.wallet.balance(), signedIn],
  [
    'payouts.request',
    async (a) => {
      if (a.user && (a.user.role === 'streamer' || a.user.role === 'admin')) await earn(a, 1_000);
      return a.caller.payouts.request({ amountTokens: 1_000, idempotencyKey: key() });
    },
    streamers,
  ],
  ['payouts.list', (a) => a.caller.payouts.list({}), streamers],
  ['admin.payouts.list', (a) => a.caller.admin.payouts.list({ status: 'pending' }), admins],
  [
    'admin.payouts.approve',
    async (a) => a.caller.admin.payouts.approve({ withdrawalId: (await pendingWithdrawal()).id }),
    admins,
  ],
  [
    'admin.payouts.approveHeld',
    async (a) =>
      a.caller.admin.payouts.approveHeld({
        withdrawalId: (await heldWithdrawal()).id,
        note: 'Checked the tipper.',
      }),
    admins,
  ],
  [
    'admin.payouts.reject',
    async (a) => a.caller.admin.payouts.reject({ withdrawalId: (await pendingWithdrawal()).id, note: 'no' }),
    admins,
  ],
  [
    'admin.payouts.markPaid',
    async (a) => {
      const withdrawal = await pendingWithdrawal();
      if (a.user?.role === 'admin') await a.caller.admin.payouts.approve({ withdrawalId: withdrawal.id });
      return a.caller.admin.payouts.markPaid({ withdrawalId: withdrawal.id });
    },
    admins,
  ],
];

describe('economy procedure × role', () => {
  for (const [name, call, expected] of MATRIX) {
    for (const role of ROLES) {
      test(`${name} as ${role}: ${expected[role]}`, async () => {
        const actor = await actAs(role);
        const outcome = await call(actor).then(
          () => 'ok',
          (error) => (error instanceof TRPCError ? error.code : `unexpected ${error}`),
        );
        expect(outcome).toBe(expected[role]);
      });
    }
  }
});

describe('bad money input is refused with a sentence and moves nothing', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['zero', { amountTokens: 0 }, 'Tip at least 1 token.'],
    ['negative', { amountTokens: -10 }, 'Tip at least 1 token.'],
    ['fractional', { amountTokens: 1.5 }, 'Tips are whole tokens.'],
    ['a string', { amountTokens: '10' }, 'Enter the number of tokens to tip.'],
    ['over the limit', { amountTokens: 100_001 }, 'A single tip can be at most 100,000 tokens.'],
    [
      'more than the balance',
      { amountTokens: 5_001 },
      'You have 5,000 tokens; this tip needs 5,001. Buy tokens to continue.',
    ],
    [
      'a 10 KB note',
      { amountTokens: 1, note: 'x'.repeat(10_000) },
      'A tip note can be at most 200 characters.',
    ],
    ['no idempotency key', { amountTokens: 1, idempotencyKey: undefined }, 'IdempotencyKey is required.'],
    ['an SQL stream id', { amountTokens: 1, streamId: "1' OR '1'='1" }, 'That is not a stream id.'],
  ];
  for (const [label, override, message] of bad) {
    test(`tips.send with ${label}`, async () => {
      const actor = await actAs('viewer');
      const [before] = await deps.db.select({ n: count() }).from(ledgerTransactions);
      const error = await actor.caller.tips
        .send({ streamId: liveStream.id, idempotencyKey: key(), ...override } as never)
        .catch((e) => e);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toBe(message);
      const [after] = await deps.db.select({ n: count() }).from(ledgerTransactions);
      expect(after!.n).toBe(before!.n);
    });
  }

  test('a withdrawal below the minimum names the minimum', async () => {
    const actor = await actAs('streamer');
    await earn(actor, 2_000);
    const error = await actor.caller.payouts
      .request({ amountTokens: 500, idempotencyKey: key() })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'The minimum withdrawal is 1,000 tokens.' });
  });

  test('without Stripe keys, buying tokens says payments are not configured', async () => {
    const { token } = await createTestUser(deps);
    const { caller } = await callerFor({ ...deps, stripe: null }, token);
    expect((await caller.payments.packages()).paymentsEnabled).toBe(false);
    const error = await caller.payments.createPaymentIntent({ packageId }).catch((e) => e);
    expect(error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('not configured'),
    });
  });
});
