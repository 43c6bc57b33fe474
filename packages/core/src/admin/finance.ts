import { rowsOf } from '@app/db/engine';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notFound } from '../kernel/errors.ts';

// The admins' view of the money: the daily report, purchases with their refunds and disputes, and the ledger
// explorer. Read-only: every movement stays with `economy`; the conservation check is `economy/check.ts`.

export const FINANCE_REPORT_DAYS_MAX = 90;
const PURCHASE_STATUSES = ['pending', 'succeeded', 'failed', 'refunded', 'disputed'] as const;

export const financeReportInput = z.object({
  days: z
    .number('Say how many days the report covers.')
    .int('Whole days only.')
    .min(1, 'The report covers at least 1 day.')
    .max(FINANCE_REPORT_DAYS_MAX, `The report covers at most ${FINANCE_REPORT_DAYS_MAX} days.`)
    .default(30),
});

export type FinanceDay = {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  purchases: number;
  /** What buyers paid, by currency (cents), for purchases that succeeded that day (refunded later included). */
  revenueCents: Record<string, number>;
  tokensBought: number;
  bonusTokens: number;
  refunds: number;
  disputes: number;
  tokensTipped: number;
  tokensPaidOut: number;
  payoutCents: number;
};

/** One row per UTC day, newest first, with every day of the period present (zeros when nothing happened). */
export async function financeReport(deps: CoreDeps, input: z.output<typeof financeReportInput>) {
  const today = deps.clock.now().toISOString().slice(0, 10);
  // The period's first instant, UTC midnight, compared as a timestamp whatever the session's time zone is.
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - (input.days - 1) * 86_400_000).toISOString();
  const rows = rowsOf<{
    day: string;
    purchases: string;
    revenue: Record<string, string | number> | null;
    tokens_bought: string;
    bonus_tokens: string;
    refunds: string;
    disputes: string;
    tokens_tipped: string;
    tokens_paid_out: string;
    payout_cents: string;
  }>(
    await deps.db.execute(sql`
      with days as (
        select d::date as day from generate_series(${since.slice(0, 10)}::date, ${today}::date, interval '1 day') d
      ),
      bought as (
        select (created_at at time zone 'UTC')::date as day, count(*) as n, sum(tokens) as tokens,
               sum(bonus_tokens) as bonus,
               count(*) filter (where status = 'refunded') as refunds,
               count(*) filter (where status = 'disputed') as disputes
        from purchases
        where status in ('succeeded', 'refunded', 'disputed')
          and created_at >= ${since}::timestamptz
        group by 1
      ),
      revenue as (
        select day, jsonb_object_agg(currency, cents) as by_currency from (
          select (created_at at time zone 'UTC')::date as day, currency, sum(price_cents) as cents
          from purchases
          where status in ('succeeded', 'refunded', 'disputed')
            and created_at >= ${since}::timestamptz
          group by 1, 2
        ) r group by day
      ),
      tipped as (
        select (created_at at time zone 'UTC')::date as day, sum(amount_tokens) as tokens
        from tips where created_at >= ${since}::timestamptz group by 1
      ),
      paid as (
        select (paid_at at time zone 'UTC')::date as day, sum(amount_tokens) as tokens, sum(payout_cents) as cents
        from withdrawals where status = 'paid' and paid_at >= ${since}::timestamptz group by 1
      )
      select to_char(days.day, 'YYYY-MM-DD') as day,
             coalesce(bought.n, 0)::text as purchases, revenue.by_currency as revenue,
             coalesce(bought.tokens, 0)::text as tokens_bought, coalesce(bought.bonus, 0)::text as bonus_tokens,
             coalesce(bought.refunds, 0)::text as refunds, coalesce(bought.disputes, 0)::text as disputes,
             coalesce(tipped.tokens, 0)::text as tokens_tipped,
             coalesce(paid.tokens, 0)::text as tokens_paid_out, coalesce(paid.cents, 0)::text as payout_cents
      from days
      left join bought using (day) left join revenue using (day) left join tipped using (day)
      left join paid using (day)
      order by days.day desc
    `),
  );
  const days: FinanceDay[] = rows.map((row) => ({
    day: row.day,
    purchases: Number(row.purchases),
    revenueCents: Object.fromEntries(
      Object.entries(row.revenue ?? {}).map(([currency, cents]) => [currency, Number(cents)]),
    ),
    tokensBought: Number(row.tokens_bought),
    bonusTokens: Number(row.bonus_tokens),
    refunds: Number(row.refunds),
    disputes: Number(row.disputes),
    tokensTipped: Number(row.tokens_tipped),
    tokensPaidOut: Number(row.tokens_paid_out),
    payoutCents: Number(row.payout_cents),
  }));
  return { days };
}

export const adminPurchasesInput = z.object({
  status: z.enum(PURCHASE_STATUSES, 'That is not a purchase status.').optional(),
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

/** Purchases newest first, with the buyer, optionally of one status (refunds and disputes have their own). */
export async function adminPurchases(deps: CoreDeps, input: z.output<typeof adminPurchasesInput>) {
  const after = input.cursor ? decodeCursor(input.cursor, ['string', 'string'] as const) : null;
  if (after) checkCursorParts({ timestamp: [after[0]], uuid: [after[1]] });
  const rows = rowsOf<{
    id: string;
    created_at: string;
    cursor_time: string;
    status: (typeof PURCHASE_STATUSES)[number];
    tokens: number;
    bonus_tokens: number;
    price_cents: number;
    currency: string;
    failure_reason: string | null;
    ledger_transaction_id: string | null;
    user_id: string;
    username: string;
    package_name: string;
  }>(
    await deps.db.execute(sql`
      select p.id, p.created_at, p.created_at::text as cursor_time, p.status, p.tokens, p.bonus_tokens,
             p.price_cents, p.currency, p.failure_reason, p.ledger_transaction_id::text, p.user_id, u.username,
             k.name as package_name
      from purchases p
      join users u on u.id = p.user_id
      join token_packages k on k.id = p.package_id
      where (${input.status ?? null}::purchase_status is null or p.status = ${input.status ?? null}::purchase_status)
        and (${after?.[0] ?? null}::timestamptz is null
             or (p.created_at, p.id) < (${after?.[0] ?? null}::timestamptz, ${after?.[1] ?? null}::uuid))
      order by p.created_at desc, p.id desc
      limit ${input.limit + 1}
    `),
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      id: row.id,
      createdAt: new Date(row.created_at),
      status: row.status,
      tokens: Number(row.tokens),
      bonusTokens: Number(row.bonus_tokens),
      priceCents: Number(row.price_cents),
      currency: row.currency,
      failureReason: row.failure_reason,
      ledgerTransactionId: row.ledger_transaction_id === null ? null : Number(row.ledger_transaction_id),
      buyer: { id: row.user_id, username: row.username },
      packageName: row.package_name,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.cursor_time, last.id]) : null,
  };
}

export const ledgerLookupInput = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('transaction'),
      id: z.number().int().positive('That is not a transaction id.'),
    }),
    z.object({
      kind: z.literal('account'),
      id: z.number().int().positive('That is not an account id.'),
      cursor: z.number().int().positive().nullish(),
      limit: z.number().int().min(1).max(100).default(50),
    }),
  ],
  'Look up a transaction or an account.',
);

type Entry = {
  id: number;
  transactionId: number;
  accountId: number;
  accountKind: string;
  owner: { id: string; username: string } | null;
  amount: number;
  createdAt: Date;
};

/** Ledger entries with their account's kind and owner, where `where` holds, in `order`. */
const entriesQuery = (where: SQL, order: SQL, limit: number | null) => sql`
  select e.id, e.transaction_id, e.account_id, a.kind, a.user_id, u.username, e.amount, e.created_at
  from ledger_entries e
  join ledger_accounts a on a.id = e.account_id
  left join users u on u.id = a.user_id
  where ${where}
  order by ${order}
  ${limit === null ? sql`` : sql`limit ${limit}`}`;

const toEntry = (row: Record<string, unknown>): Entry => ({
  id: Number(row.id),
  transactionId: Number(row.transaction_id),
  accountId: Number(row.account_id),
  accountKind: String(row.kind),
  owner: row.user_id ? { id: String(row.user_id), username: String(row.username) } : null,
  amount: Number(row.amount),
  createdAt: new Date(String(row.created_at)),
});

/** One ledger transaction with its entries, or one account with its balance and its entries, newest first. */
export async function ledgerLookup(deps: CoreDeps, input: z.output<typeof ledgerLookupInput>) {
  if (input.kind === 'transaction') {
    const [tx] = rowsOf<Record<string, unknown>>(
      await deps.db.execute(sql`
        select id, kind, idempotency_key, reverses_id, metadata, created_at from ledger_transactions
        where id = ${input.id}`),
    );
    if (!tx) throw notFound('That transaction');
    const entries = rowsOf<Record<string, unknown>>(
      await deps.db.execute(entriesQuery(sql`e.transaction_id = ${input.id}`, sql`e.id`, null)),
    );
    return {
      kind: 'transaction' as const,
      transaction: {
        id: Number(tx.id),
        kind: String(tx.kind),
        idempotencyKey: String(tx.idempotency_key),
        reversesId: tx.reverses_id === null ? null : Number(tx.reverses_id),
        metadata: (tx.metadata ?? {}) as Record<string, unknown>,
        createdAt: new Date(String(tx.created_at)),
      },
      entries: entries.map(toEntry),
    };
  }
  const [account] = rowsOf<Record<string, unknown>>(
    await deps.db.execute(sql`
      select a.id, a.kind, a.user_id, u.username, a.shard_count, a.frozen_at,
             (select coalesce(sum(balance), 0) from ledger_balances b where b.account_id = a.id)::text as balance
      from ledger_accounts a left join users u on u.id = a.user_id
      where a.id = ${input.id}`),
  );
  if (!account) throw notFound('That account');
  const rows = rowsOf<Record<string, unknown>>(
    await deps.db.execute(
      entriesQuery(
        sql`e.account_id = ${input.id} and (${input.cursor ?? null}::bigint is null or e.id < ${input.cursor ?? null}::bigint)`,
        sql`e.id desc`,
        input.limit + 1,
      ),
    ),
  );
  const page = rows.slice(0, input.limit).map(toEntry);
  return {
    kind: 'account' as const,
    account: {
      id: Number(account.id),
      kind: String(account.kind),
      owner: account.user_id ? { id: String(account.user_id), username: String(account.username) } : null,
      shardCount: Number(account.shard_count),
      frozenAt: account.frozen_at ? new Date(String(account.frozen_at)) : null,
      balance: Number(account.balance),
    },
    entries: page,
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
