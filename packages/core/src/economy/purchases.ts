import type { Transaction } from '@app/db/client';
import {
  ledgerAccounts,
  ledgerBalances,
  type Purchase,
  purchases,
  stripeEvents,
  tokenPackages,
} from '@app/db/schema';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import type { StripeDeps } from '../kernel/ports.ts';
import { type AccountRef, accountFor } from './accounts.ts';
import { inTransaction, type Posting, postTransaction } from './ledger.ts';

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

type Accounts = { wallet: AccountRef; debt: AccountRef; issuance: AccountRef; bonus: AccountRef };

/**
 * Applies a verified Stripe event exactly once: the event id is recorded in the same transaction as its effect.
 * `payment_intent.succeeded` mints; `charge.refunded` and `charge.dispute.created` claw back; events that arrive
 * late or out of order are reconciled against the purchase's state.
 */
export async function applyStripeEvent(deps: CoreDeps, event: Stripe.Event): Promise<StripeEventOutcome> {
  const paymentIntentId = paymentIntentOf(event);
  const purchase = paymentIntentId ? await findPurchase(deps, paymentIntentId, event) : null;
  const accounts = purchase ? await accountsFor(deps, purchase.userId) : null;
  const outcome = await inTransaction(deps.db, async (tx) => {
    const [recorded] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!recorded) return 'duplicate' as const;
    if (!purchase || !accounts) return 'ignored' as const;
    const [locked] = await tx.select().from(purchases).where(eq(purchases.id, purchase.id)).for('update');
    return applyToPurchase(tx, event, locked!, accounts);
  });
  if (outcome === 'applied' && purchase) {
    await publishToUser(deps.bus, purchase.userId, { type: 'balance.changed', reason: event.type });
  }
  return outcome;
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

async function accountsFor(deps: CoreDeps, userId: string): Promise<Accounts> {
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
  tx: Transaction,
  event: Stripe.Event,
  purchase: Purchase,
  accounts: Accounts,
): Promise<StripeEventOutcome> {
  const setStatus = (status: Purchase['status'], failureReason: string | null = null) =>
    tx.update(purchases).set({ status, failureReason }).where(eq(purchases.id, purchase.id));
  switch (event.type) {
    case 'payment_intent.succeeded': {
      if (purchase.status !== 'pending' && purchase.status !== 'failed') return 'ignored';
      const intent = event.data.object;
      if (intent.amount_received !== purchase.priceCents || intent.currency !== purchase.currency) {
        await setStatus(
          'failed',
          `Stripe reported ${intent.amount_received} ${intent.currency}; expected ${purchase.priceCents} ${purchase.currency}.`,
        );
        return 'applied';
      }
      await mint(tx, purchase, accounts, event.id);
      await tx
        .update(purchases)
        .set({ status: 'succeeded', failureReason: null, stripePaymentIntentId: intent.id })
        .where(eq(purchases.id, purchase.id));
      return 'applied';
    }
    case 'payment_intent.payment_failed': {
      if (purchase.status !== 'pending') return 'ignored';
      await setStatus('failed', event.data.object.last_payment_error?.message ?? 'The payment failed.');
      return 'applied';
    }
    case 'charge.refunded':
    case 'charge.dispute.created': {
      const status = event.type === 'charge.refunded' ? 'refunded' : 'disputed';
      if (purchase.status === 'succeeded') await clawBack(tx, purchase, accounts, event);
      if (purchase.status === 'refunded' && status === 'refunded') return 'ignored';
      await setStatus(status);
      return 'applied';
    }
    default:
      return 'ignored';
  }
}

/** Issues the purchased tokens (and any bonus) into the buyer's wallet. */
async function mint(tx: Transaction, purchase: Purchase, accounts: Accounts, eventId: string) {
  const postings: Posting[] = [
    { account: accounts.issuance, amount: -purchase.tokens },
    { account: accounts.wallet, amount: purchase.tokens },
  ];
  if (purchase.bonusTokens > 0) {
    postings.push({ account: accounts.bonus, amount: -purchase.bonusTokens });
    postings.push({ account: accounts.wallet, amount: purchase.bonusTokens });
  }
  await postTransaction(tx, {
    kind: 'purchase',
    idempotencyKey: `purchase:${purchase.id}`,
    request: { purchaseId: purchase.id, tokens: purchase.tokens, bonusTokens: purchase.bonusTokens },
    metadata: { purchaseId: purchase.id, stripeEventId: eventId },
    postings,
  });
}

/**
 * Takes a refunded or disputed purchase's tokens back. What the wallet cannot cover becomes the user's debt and
 * freezes the wallet: a shortfall is recorded, never forgiven. One clawback per purchase, whichever event comes.
 */
async function clawBack(tx: Transaction, purchase: Purchase, accounts: Accounts, event: Stripe.Event) {
  const total = purchase.tokens + purchase.bonusTokens;
  const [wallet] = await tx
    .select({ balance: ledgerBalances.balance })
    .from(ledgerBalances)
    .where(and(eq(ledgerBalances.accountId, accounts.wallet.id), eq(ledgerBalances.shard, 0)))
    .for('update');
  const take = Math.min(wallet?.balance ?? 0, total);
  const shortfall = total - take;
  const postings: Posting[] = [{ account: accounts.issuance, amount: purchase.tokens }];
  if (purchase.bonusTokens > 0) postings.push({ account: accounts.bonus, amount: purchase.bonusTokens });
  if (take > 0) postings.push({ account: accounts.wallet, amount: -take });
  if (shortfall > 0) postings.push({ account: accounts.debt, amount: -shortfall });
  await postTransaction(tx, {
    kind: event.type === 'charge.refunded' ? 'refund' : 'chargeback',
    idempotencyKey: `clawback:${purchase.id}`,
    request: { purchaseId: purchase.id },
    metadata: { purchaseId: purchase.id, stripeEventId: event.id, shortfallTokens: shortfall },
    postings,
  });
  if (shortfall > 0) {
    await tx
      .update(ledgerAccounts)
      .set({ frozenAt: sql`coalesce(${ledgerAccounts.frozenAt}, now())` })
      .where(eq(ledgerAccounts.id, accounts.wallet.id));
  }
}
