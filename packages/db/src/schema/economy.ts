import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, jsonb, timestamps } from './columns.ts';
import { users } from './users.ts';

/**
 * Double-entry ledger. A user has a `wallet` (spendable) and, as a streamer, `earnings` (withdrawable); the
 * platform has system accounts. Every transaction's entries sum to zero (checked by a deferred trigger), so the
 * sum of all balances is always zero. Entries are append-only.
 */
export const ledgerAccountKind = pgEnum('ledger_account_kind', [
  'wallet',
  'earnings',
  /** What a user owes after a clawback their wallet could not cover (negative balance). */
  'debt',
  'issuance',
  'bonus',
  'payouts',
  'chargebacks',
  /** Tokens the platform gives away (admin grants, demo data); goes negative as `issuance` does. */
  'promotions',
]);
/** Accounts owned by a user; the others are the platform's. */
export const USER_ACCOUNT_KINDS = ['wallet', 'earnings', 'debt'] as const;
export const ledgerTransactionKind = pgEnum('ledger_transaction_kind', [
  'purchase',
  'tip',
  'withdrawal',
  'withdrawal_reversal',
  'refund',
  'chargeback',
  'bonus',
  'payout',
  'adjustment',
  /** Takes a refunded or disputed purchase's tip back from the streamer's earnings, linked to the tip. */
  'tip_reversal',
  /** Tokens an admin gave a user from `promotions` (support's compensation, the dev path to tokens without Stripe). */
  'grant',
]);

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: ledgerAccountKind('kind').notNull(),
    /** Null for system accounts. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'restrict' }),
    /**
     * Balance rows of this account. Hot accounts (a popular streamer's earnings, the platform's accounts) spread
     * credits over several rows so concurrent tips do not queue behind one row lock.
     */
    shardCount: integer('shard_count').notNull().default(1),
    /** Set when a clawback could not be covered; a frozen wallet cannot spend. */
    frozenAt: timestamp('frozen_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('ledger_accounts_user_id_kind_key').on(t.userId, t.kind),
    uniqueIndex('ledger_accounts_system_kind_key').on(t.kind).where(sql`${t.userId} IS NULL`),
    check(
      'ledger_accounts_owner_matches_kind_chk',
      sql`(${t.kind}::text IN ('wallet', 'earnings', 'debt')) = (${t.userId} IS NOT NULL)`,
    ),
    check('ledger_accounts_shard_count_chk', sql`${t.shardCount} BETWEEN 1 AND 64`),
  ],
);

/** An account's balance, in `shard_count` rows; the account's balance is their sum. */
export const ledgerBalances = pgTable(
  'ledger_balances',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccounts.id, { onDelete: 'restrict' }),
    shard: integer('shard').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Wallet and earnings rows never go below zero; system and debt accounts may. */
    nonNegative: boolean('non_negative').notNull(),
  },
  (t) => [
    primaryKey({ name: 'ledger_balances_pkey', columns: [t.accountId, t.shard] }),
    check('ledger_balances_nonnegative_chk', sql`NOT ${t.nonNegative} OR ${t.balance} >= 0`),
  ],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: ledgerTransactionKind('kind').notNull(),
    /** Supplied by the caller; the same key never moves tokens twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 (hex) of the request that used the key: a different request with the same key is refused. */
    requestHash: text('request_hash').notNull(),
    /** The transaction this one reverses (refunds, rejected withdrawals). */
    reversesId: bigint('reverses_id', { mode: 'number' }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt,
  },
  (t) => [
    uniqueIndex('ledger_transactions_idempotency_key_key').on(t.idempotencyKey),
    index('ledger_transactions_created_at_idx').on(t.createdAt),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: bigint('transaction_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerTransactions.id, { onDelete: 'restrict' }),
    /**
     * No foreign key: every tip would take a KEY SHARE lock on the streamer's hot account row, and under load
     * those shared locks pile up as multixacts. The ledger engine only posts to accounts whose balance rows exist.
     */
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt,
  },
  (t) => [
    index('ledger_entries_transaction_id_idx').on(t.transactionId),
    index('ledger_entries_account_id_id_idx').on(t.accountId, t.id),
    check('ledger_entries_amount_nonzero_chk', sql`${t.amount} <> 0`),
  ],
);

export const tokenPackages = pgTable(
  'token_packages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    tokens: integer('tokens').notNull(),
    bonusTokens: integer('bonus_tokens').notNull().default(0),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('usd'),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    check(
      'token_packages_amounts_chk',
      sql`${t.tokens} > 0 AND ${t.bonusTokens} >= 0 AND ${t.priceCents} > 0`,
    ),
  ],
);

export const purchaseStatus = pgEnum('purchase_status', [
  'pending',
  'succeeded',
  'failed',
  'refunded',
  'disputed',
]);

export const purchases = pgTable(
  'purchases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    packageId: integer('package_id')
      .notNull()
      .references(() => tokenPackages.id, { onDelete: 'restrict' }),
    tokens: integer('tokens').notNull(),
    bonusTokens: integer('bonus_tokens').notNull().default(0),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    status: purchaseStatus('status').notNull().default('pending'),
    stripePaymentIntentId: text('stripe_payment_intent_id'),
    ledgerTransactionId: bigint('ledger_transaction_id', { mode: 'number' }).references(
      () => ledgerTransactions.id,
    ),
    failureReason: text('failure_reason'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('purchases_stripe_payment_intent_id_key').on(t.stripePaymentIntentId),
    index('purchases_user_id_created_at_idx').on(t.userId, t.createdAt.desc()),
  ],
);

/** Stripe events already handled: a replayed delivery is recognised and ignored. */
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tips = pgTable(
  'tips',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /**
     * No foreign keys to the stream and the streamer: one popular stream's rows would be KEY SHARE-locked by every
     * concurrent tip (multixact contention). `send_tip` reads both in the same transaction; streams and users are
     * never deleted (they end, or are banned).
     */
    streamId: uuid('stream_id').notNull(),
    fromUserId: uuid('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    toUserId: uuid('to_user_id').notNull(),
    amountTokens: bigint('amount_tokens', { mode: 'number' }).notNull(),
    note: text('note'),
    anonymous: boolean('anonymous').notNull().default(false),
    ledgerTransactionId: bigint('ledger_transaction_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerTransactions.id),
    /**
     * Set when the purchase that funded the tip was refunded or disputed while the tip was still maturing:
     * `reversedTokens` of it (all, or the part the purchase paid for) went back through `reversalTransactionId`.
     * The row stays; what was reversed counts toward nothing (goals, pending earnings).
     */
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversedTokens: bigint('reversed_tokens', { mode: 'number' }),
    reversalTransactionId: bigint('reversal_transaction_id', { mode: 'number' }).references(
      () => ledgerTransactions.id,
    ),
    createdAt,
  },
  (t) => [
    uniqueIndex('tips_ledger_transaction_id_key').on(t.ledgerTransactionId),
    index('tips_stream_id_created_at_idx').on(t.streamId, t.createdAt),
    index('tips_to_user_id_created_at_idx').on(t.toUserId, t.createdAt),
    index('tips_from_user_id_created_at_idx').on(t.fromUserId, t.createdAt),
    index('tips_reversal_transaction_id_idx')
      .on(t.reversalTransactionId)
      .where(sql`${t.reversalTransactionId} IS NOT NULL`),
    check('tips_amount_positive_chk', sql`${t.amountTokens} > 0`),
    check(
      'tips_reversed_tokens_chk',
      sql`${t.reversedTokens} IS NULL OR (${t.reversedTokens} > 0 AND ${t.reversedTokens} <= ${t.amountTokens})`,
    ),
    check('tips_not_self_chk', sql`${t.fromUserId} <> ${t.toUserId}`),
    check('tips_note_length_chk', sql`${t.note} IS NULL OR char_length(${t.note}) <= 200`),
  ],
);

/** `held`: waiting for an admin's explicit decision, for the reason in `holdReason`. */
export const withdrawalStatus = pgEnum('withdrawal_status', [
  'pending',
  'held',
  'approved',
  'rejected',
  'paid',
]);

export const withdrawals = pgTable(
  'withdrawals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    amountTokens: bigint('amount_tokens', { mode: 'number' }).notNull(),
    payoutCents: integer('payout_cents').notNull(),
    status: withdrawalStatus('status').notNull().default('pending'),
    requestTransactionId: bigint('request_transaction_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerTransactions.id),
    reversalTransactionId: bigint('reversal_transaction_id', { mode: 'number' }).references(
      () => ledgerTransactions.id,
    ),
    reviewedById: uuid('reviewed_by_id').references(() => users.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    /** Why the withdrawal was held for review (tips from a frozen or indebted wallet), for the admin queue. */
    holdReason: text('hold_reason'),
    heldAt: timestamp('held_at', { withTimezone: true }),
    note: text('note'),
    ...timestamps,
  },
  (t) => [
    index('withdrawals_user_id_created_at_idx').on(t.userId, t.createdAt.desc()),
    index('withdrawals_status_created_at_idx').on(t.status, t.createdAt),
    check('withdrawals_amount_positive_chk', sql`${t.amountTokens} > 0`),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerBalance = typeof ledgerBalances.$inferSelect;
export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type TokenPackage = typeof tokenPackages.$inferSelect;
export type Purchase = typeof purchases.$inferSelect;
export type Tip = typeof tips.$inferSelect;
export type Withdrawal = typeof withdrawals.$inferSelect;
