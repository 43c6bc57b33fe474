import type { Database } from '@app/db/client';
import { streams, tokenPackages } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { CoreDeps } from '../kernel/deps.ts';
import type { StripeDeps } from '../kernel/ports.ts';
import { accountFor } from './accounts.ts';
import { checkLedger } from './check.ts';
import { inTransaction, postTransaction } from './ledger.ts';
import { applyStripeEvent, createPaymentIntent, verifyStripeEvent } from './purchases.ts';
import { createStripe } from './stripe.ts';

export type RecordedStripeCall = {
  method: string;
  path: string;
  params: Record<string, string>;
  idempotencyKey: string | null;
  authorization: string | null;
};

export const TEST_WEBHOOK_SECRET = 'whsec_lumen_test_secret';

/**
 * A local stand-in for Stripe's API that records every call the real `stripe` SDK makes to it and answers
 * PaymentIntent creation and retrieval the way Stripe does.
 */
export function startStripeFake() {
  const calls: RecordedStripeCall[] = [];
  const intents = new Map<string, Record<string, unknown>>();
  let counter = 0;
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const params = Object.fromEntries(new URLSearchParams(await request.text()));
      calls.push({
        method: request.method,
        path: url.pathname,
        params,
        idempotencyKey: request.headers.get('idempotency-key'),
        authorization: request.headers.get('authorization'),
      });
      if (request.method === 'POST' && url.pathname === '/v1/payment_intents') {
        const id = `pi_fake_${++counter}_${crypto.randomUUID().slice(0, 8)}`;
        const metadata = Object.fromEntries(
          Object.entries(params)
            .filter(([key]) => key.startsWith('metadata['))
            .map(([key, value]) => [key.slice(9, -1), value]),
        );
        const intent = {
          id,
          object: 'payment_intent',
          amount: Number(params.amount),
          currency: params.currency,
          status: 'requires_payment_method',
          client_secret: `${id}_secret_${crypto.randomUUID().slice(0, 8)}`,
          metadata,
          created: Math.floor(Date.now() / 1000),
          livemode: false,
        };
        intents.set(id, intent);
        return Response.json(intent);
      }
      const match = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)$/);
      if (request.method === 'GET' && match && intents.has(match[1]!))
        return Response.json(intents.get(match[1]!));
      return Response.json(
        { error: { type: 'invalid_request_error', message: 'Unknown request' } },
        { status: 404 },
      );
    },
  });
  const stripe: StripeDeps = createStripe({
    secretKey: 'sk_test_lumen_fake',
    webhookSecret: TEST_WEBHOOK_SECRET,
    publishableKey: 'pk_test_lumen_fake',
    host: '127.0.0.1',
    port: server.port,
    protocol: 'http',
  });
  return { calls, intents, stripe, port: server.port as number, stop: () => server.stop(true) };
}

/** A Stripe event as Stripe would deliver it, and its payload signed the way Stripe signs webhooks. */
export async function signedStripeEvent(
  type: string,
  object: Record<string, unknown>,
  id = `evt_${crypto.randomUUID()}`,
) {
  const event = {
    id,
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: null,
  };
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: TEST_WEBHOOK_SECRET,
  });
  return { event, payload, signature };
}

/** Gives a user tokens through the ledger (an adjustment from issuance), for tests that need a funded wallet. */
export async function fundWallet(deps: CoreDeps, userId: string, tokens: number) {
  const shards = deps.economy.hotAccountShards;
  const [wallet, issuance] = await Promise.all([
    accountFor(deps.db, 'wallet', userId, shards),
    accountFor(deps.db, 'issuance', null, shards),
  ]);
  await inTransaction(deps.db, (tx) =>
    postTransaction(tx, {
      kind: 'adjustment',
      idempotencyKey: `test-fund:${userId}:${crypto.randomUUID()}`,
      request: { userId, tokens },
      postings: [
        { account: issuance, amount: -tokens },
        { account: wallet, amount: tokens },
      ],
    }),
  );
}

/** Marks a stream live without the media side, for money tests. */
export async function makeLive(db: Database, streamId: string) {
  await db.update(streams).set({ status: 'live', startedAt: new Date() }).where(eq(streams.id, streamId));
}

/** The ledger's invariants (`checkLedger`), without the time and the verdict, for tests to compare. */
export async function ledgerInvariants(db: Database) {
  const { checkedAt: _at, healthy: _healthy, ...counts } = await checkLedger(db);
  return counts;
}

export const HEALTHY_LEDGER = {
  sumOfBalances: 0,
  unbalancedTransactions: 0,
  accountsWhoseBalanceDiffersFromEntries: 0,
  negativeBalances: 0,
};

/** Delivers a Stripe event the way the webhook endpoint does: signed, verified, then applied. */
export async function deliverStripeEvent(
  deps: CoreDeps,
  type: string,
  object: Record<string, unknown>,
  id?: string,
) {
  const { payload, signature } = await signedStripeEvent(type, object, id);
  return applyStripeEvent(deps, await verifyStripeEvent(deps, payload, signature));
}

/** Buys a package through a PaymentIntent and has Stripe confirm it; returns the PaymentIntent's id. */
export async function buyTokens(deps: CoreDeps, userId: string, packageId: number) {
  const started = await createPaymentIntent(deps, userId, packageId);
  const [pack] = await deps.db.select().from(tokenPackages).where(eq(tokenPackages.id, packageId));
  await deliverStripeEvent(deps, 'payment_intent.succeeded', {
    id: started.paymentIntentId,
    object: 'payment_intent',
    amount: pack!.priceCents,
    amount_received: pack!.priceCents,
    currency: pack!.currency,
    status: 'succeeded',
    metadata: {},
  });
  return started.paymentIntentId;
}

/** The object of a `charge.refunded` (or, with `object: 'dispute'`, a dispute) for a PaymentIntent. */
export function chargeFor(intentId: string, object: 'charge' | 'dispute' = 'charge') {
  return {
    id: `${object === 'charge' ? 'ch' : 'dp'}_${crypto.randomUUID().slice(0, 12)}`,
    object,
    currency: 'usd',
    payment_intent: intentId,
  };
}
