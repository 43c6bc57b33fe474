import type { Transaction } from '@app/db/client';
import { type Purchase, purchases, stripeEvents, tokenPackages } from '@app/db/schema';
import { and, asc, desc, eq, lt } from 'drizzle-orm';
import type Stripe from 'stripe';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import type { StripeDeps } from '../kernel/ports.ts';
import { notifyPayoutDecision } from '../notifications/decisions.ts';
import { accountFor } from './accounts.ts';
import { inTransaction } from './ledger.ts';
import { type ClawbackEffects, clawBack, mint, type PurchaseAccounts } from './settlement.ts';
import type { ReversedTip } from './tip-reversals.ts';

export const PAYMENTS_NOT_CONFIGURED =
  'Payments are not configured on this server, so tokens cannot be bought yet.';

function stripeOf(deps: CoreDeps): StripeDeps {
  if (!deps.stripe) throw new DomainError('UNAVAILABLE', PAYMENTS_NOT_CONFIGURED);
  return deps.stripe;
}

export async function listPackages(deps: CoreDeps) {
  return deps.db
    .select({
      id: tokenPackages.id,
      name: tokenPackages.name,
      tokens: tokenPackages.tokens,
      bonusTokens: tokenPackages.bonusTokens,
      priceCents: tokenPackages.priceCents,
      currency: tokenPackages.currency,
    })
    .from(tokenPackages)
    .where(eq(tokenPackages.active, true))
    .orderBy(asc(tokenPackages.sortOrder), asc(tokenPackages.priceCents));
}

/** Starts a purchase: a pending row, then a Stripe PaymentIntent for it. Tokens arrive only with the webhook. */
export async function createPaymentIntent(deps: CoreDeps, userId: string, packageId: number) {
  const stripe = stripeOf(deps);
  const [pack] = await deps.db
    .select()
    .from(tokenPackages)
    .where(and(eq(tokenPackages.id, packageId), eq(tokenPackages.active, true)));
  if (!pack) throw notFound('That token package');
  const [purchase] = await deps.db
    .insert(purchases)
    .values({
      userId,
      packageId: pack.id,
      tokens: pack.tokens,
      bonusTokens: pack.bonusTokens,
      priceCents: pack.priceCents,
      currency: pack.currency,
    })
    .returning();
  const intent = await stripe.client.paymentIntents.create(
    {
      amount: pack.priceCents,
      currency: pack.currency,
      automatic_payment_methods: { enabled: true },
      metadata: { purchaseId: purchase!.id, userId, packageId: String(pack.id) },
      description: `${pack.tokens + pack.bonusTokens} Lumen tokens (${pack.name})`,
    },
    { idempotencyKey: `purchase:${purchase!.id}` },
  );
  await deps.db
    .update(purchases)
    .set({ stripePaymentIntentId: intent.id })
    .where(eq(purchases.id, purchase!.id));
  return {
    purchaseId: purchase!.id,
    paymentIntentId: intent.id,
    clientSecret: intent.client_secret,
    publishableKey: stripe.publishableKey,
  };
}

/** The state of one of the caller's payments, as the webhooks left it. Reads only: it never mints. */
export async function paymentStatus(deps: CoreDeps, userId: string, paymentIntentId: string) {
  const [purchase] = await deps.db
    .select()
    .from(purchases)
    .where(and(eq(purchases.userId, userId), eq(purchases.stripePaymentIntentId, paymentIntentId)));
  if (!purchase) throw notFound('That payment');
  return publicPurchase(purchase);
}

export function publicPurchase(purchase: Purchase) {
  return {
    id: purchase.id,
    status: purchase.status,
    tokens: purchase.tokens,
    bonusTokens: purchase.bonusTokens,
    priceCents: purchase.priceCents,
    currency: purchase.currency,
    failureReason: purchase.failureReason,
    createdAt: purchase.createdAt,
    updatedAt: purchase.updatedAt,
  };
}

export async function listPurchases(
  deps: CoreDeps,
  userId: string,
  input: { cursor?: string | null; limit: number },
) {
  const rows = await deps.db
    .select()
    .from(purchases)
    .where(
      and(
        eq(purchases.userId, userId),
        input.cursor ? lt(purchases.createdAt, new Date(input.cursor)) : undefined,
      ),
    )
    .orderBy(desc(purchases.createdAt))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicPurchase),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.createdAt.toISOString() ?? null) : null,
  };
}

/** Verifies a webhook delivery's signature; a forged or missing one changes nothing. */
export async function verifyStripeEvent(deps: CoreDeps, payload: string, signature: string | null) {
  const stripe = stripeOf(deps);
  if (!signature) throw new DomainError('INVALID_INPUT', 'The Stripe-Signature header is missing.');
  try {
    return await stripe.client.webhooks.constructEventAsync(payload, signature, stripe.webhookSecret);
  } catch {
    throw new DomainError('INVALID_INPUT', 'The Stripe signature does not match this payload.');
  }
}

export type StripeEventOutcome = 'applied' | 'duplicate' | 'ignored';

type Applied = { outcome: StripeEventOutcome; effects: ClawbackEffects };
const NO_EFFECTS: ClawbackEffects = { reversedTips: [], heldWithdrawals: [] };

/** Applies a verified Stripe event exactly once (`settleStripeEvent`), answering only its outcome. */
export async function applyStripeEvent(deps: CoreDeps, event: Stripe.Event): Promise<StripeEventOutcome> {
  return (await settleStripeEvent(deps, event)).outcome;
}

/**
 * Applies a verified Stripe event exactly once: the event id is recorded in the same transaction as its effect.
 * `payment_intent.succeeded` mints; `charge.refunded` and `charge.dispute.created` claw back; events that arrive
 * late or out of order are reconciled against the purchase's state. After commit the buyer, the streamers whose
 * tips were reversed and those whose withdrawals were held hear of it; the reversed tips are returned so the rooms
 * they were sent in can correct what they show.
 */
export async function settleStripeEvent(
  deps: CoreDeps,
  event: Stripe.Event,
): Promise<{ outcome: StripeEventOutcome; reversedTips: ReversedTip[] }> {
  const paymentIntentId = paymentIntentOf(event);
  const purchase = paymentIntentId ? await findPurchase(deps, paymentIntentId, event) : null;
  const accounts = purchase ? await accountsFor(deps, purchase.userId) : null;
  const { outcome, effects } = await inTransaction(deps.db, async (tx): Promise<Applied> => {
    const [recorded] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!recorded) return { outcome: 'duplicate', effects: NO_EFFECTS };
    if (!purchase || !accounts) return { outcome: 'ignored', effects: NO_EFFECTS };
    const [locked] = await tx.select().from(purchases).where(eq(purchases.id, purchase.id)).for('update');
    return applyToPurchase(deps, tx, event, locked!, accounts);
  });
  if (outcome === 'applied' && purchase) await announce(deps, purchase.userId, event.type, effects);
  return { outcome, reversedTips: effects.reversedTips };
}

async function announce(deps: CoreDeps, buyerId: string, reason: string, effects: ClawbackEffects) {
  const streamers = new Map<string, number>();
  for (const tip of effects.reversedTips) {
    streamers.set(tip.streamerId, (streamers.get(tip.streamerId) ?? 0) - tip.amountTokens);
  }
  await Promise.all([
    publishToUser(deps.bus, buyerId, { type: 'balance.changed', reason }),
    ...[...streamers].map(([streamerId, amountTokens]) =>
      publishToUser(deps.bus, streamerId, { type: 'earnings.changed', amountTokens, reason: 'tip_reversal' }),
    ),
    ...effects.heldWithdrawals.map((withdrawal) =>
      publishToUser(deps.bus, withdrawal.userId, {
        type: 'withdrawal.changed',
        withdrawalId: withdrawal.id,
        status: 'held',
      }),
    ),
    ...effects.heldWithdrawals.map((withdrawal) =>
      notifyPayoutDecision(deps, { ...withdrawal, status: 'held' }),
    ),
  ]);
}

function paymentIntentOf(event: Stripe.Event): string | null {
  const object = event.data.object as {
    object?: string;
    id?: string;
    payment_intent?: string | { id: string } | null;
  };
  if (object.object === 'payment_intent') return object.id ?? null;
  const intent = object.payment_intent;
  return typeof intent === 'string' ? intent : (intent?.id ?? null);
}

async function findPurchase(deps: CoreDeps, paymentIntentId: string, event: Stripe.Event) {
  const [byIntent] = await deps.db
    .select()
    .from(purchases)
    .where(eq(purchases.stripePaymentIntentId, paymentIntentId));
  if (byIntent) return byIntent;
  const purchaseId = (event.data.object as { metadata?: Record<string, string> }).metadata?.purchaseId;
  if (!purchaseId || !/^[0-9a-f-]{36}$/.test(purchaseId)) return null;
  const [byId] = await deps.db.select().from(purchases).where(eq(purchases.id, purchaseId));
  return byId ?? null;
}

async function accountsFor(deps: CoreDeps, userId: string): Promise<PurchaseAccounts> {
  const shards = deps.economy.hotAccountShards;
  const [wallet, debt, issuance, bonus] = await Promise.all([
    accountFor(deps.db, 'wallet', userId, shards),
    accountFor(deps.db, 'debt', userId, shards),
    accountFor(deps.db, 'issuance', null, shards),
    accountFor(deps.db, 'bonus', null, shards),
  ]);
  return { wallet, debt, issuance, bonus };
}

async function applyToPurchase(
  deps: CoreDeps,
  tx: Transaction,
  event: Stripe.Event,
  purchase: Purchase,
  accounts: PurchaseAccounts,
): Promise<Applied> {
  const done = (outcome: StripeEventOutcome, effects = NO_EFFECTS): Applied => ({ outcome, effects });
  const setStatus = (status: Purchase['status'], failureReason: string | null = null) =>
    tx.update(purchases).set({ status, failureReason }).where(eq(purchases.id, purchase.id));
  switch (event.type) {
    case 'payment_intent.succeeded': {
      if (purchase.status !== 'pending' && purchase.status !== 'failed') return done('ignored');
      const intent = event.data.object;
      if (intent.amount_received !== purchase.priceCents || intent.currency !== purchase.currency) {
        await setStatus(
          'failed',
          `Stripe reported ${intent.amount_received} ${intent.currency}; expected ${purchase.priceCents} ${purchase.currency}.`,
        );
        return done('applied');
      }
      await mint(tx, purchase, accounts, event.id);
      await tx
        .update(purchases)
        .set({ status: 'succeeded', failureReason: null, stripePaymentIntentId: intent.id })
        .where(eq(purchases.id, purchase.id));
      return done('applied');
    }
    case 'payment_intent.payment_failed': {
      if (purchase.status !== 'pending') return done('ignored');
      await setStatus('failed', event.data.object.last_payment_error?.message ?? 'The payment failed.');
      return done('applied');
    }
    case 'charge.refunded':
    case 'charge.dispute.created': {
      const status = event.type === 'charge.refunded' ? 'refunded' : 'disputed';
      const effects =
        purchase.status === 'succeeded' ? await clawBack(deps, tx, purchase, accounts, event) : NO_EFFECTS;
      if (purchase.status === 'refunded' && status === 'refunded') return done('ignored');
      await setStatus(status);
      return done('applied', effects);
    }
    default:
      return done('ignored');
  }
}
