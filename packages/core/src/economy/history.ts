import {
  ledgerAccounts,
  ledgerBalances,
  ledgerEntries,
  ledgerTransactions,
  streams,
  tips,
  users,
} from '@app/db/schema';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CoreDeps } from '../kernel/deps.ts';
import { splitEarnings } from './earnings.ts';

export type Page = { cursor?: number | null; limit: number };

/**
 * Spendable tokens, earnings (in total, still pending inside the hold, available to withdraw, and when the next
 * pending tip matures), any debt, and whether the wallet is frozen.
 */
export async function walletBalance(deps: CoreDeps, userId: string) {
  const rows = await deps.db
    .select({
      kind: ledgerAccounts.kind,
      frozenAt: ledgerAccounts.frozenAt,
      balance: sql<string>`coalesce(sum(${ledgerBalances.balance}), 0)`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerBalances, eq(ledgerBalances.accountId, ledgerAccounts.id))
    .where(eq(ledgerAccounts.userId, userId))
    .groupBy(ledgerAccounts.id);
  const of = (kind: string) => Number(rows.find((row) => row.kind === kind)?.balance ?? 0);
  const wallet = rows.find((row) => row.kind === 'wallet');
  const earnings = await splitEarnings(deps, deps.db, userId, of('earnings'));
  return {
    walletTokens: of('wallet'),
    earningsTokens: earnings.totalTokens,
    earningsPendingTokens: earnings.pendingTokens,
    earningsAvailableTokens: earnings.availableTokens,
    earningsNextMaturity: earnings.nextMaturity,
    earningsHoldHours: deps.economy.earningsHoldHours,
    debtTokens: -of('debt') || 0,
    frozen: Boolean(wallet?.frozenAt),
    payoutCentsPerToken: deps.economy.payoutCentsPerToken,
    /** The currency payouts are made in (cents of it per token above). */
    payoutCurrency: 'usd' as const,
    minWithdrawalTokens: deps.economy.minWithdrawalTokens,
  };
}

const counterpart = alias(users, 'counterpart');

/**
 * Every token movement on the user's accounts, newest first: purchases, grants from the platform (`grant`, shown as
 * "Granted by the platform"), tips both ways, withdrawals, refunds.
 */
export async function transactionHistory(deps: CoreDeps, userId: string, page: Page) {
  const rows = await deps.db
    .select({
      id: ledgerEntries.id,
      amountTokens: ledgerEntries.amount,
      account: ledgerAccounts.kind,
      kind: ledgerTransactions.kind,
      metadata: ledgerTransactions.metadata,
      createdAt: ledgerEntries.createdAt,
      tipNote: tips.note,
      tipAnonymous: tips.anonymous,
      tipFromUserId: tips.fromUserId,
      streamId: tips.streamId,
      streamTitle: streams.title,
      counterpartUsername: counterpart.username,
      counterpartDisplayName: counterpart.displayName,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .leftJoin(tips, eq(tips.ledgerTransactionId, ledgerTransactions.id))
    .leftJoin(streams, eq(streams.id, tips.streamId))
    .leftJoin(
      counterpart,
      sql`${counterpart.id} = case when ${tips.fromUserId} = ${userId} then ${tips.toUserId} else ${tips.fromUserId} end`,
    )
    .where(
      and(eq(ledgerAccounts.userId, userId), page.cursor ? lt(ledgerEntries.id, page.cursor) : undefined),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((row) => {
    const hideSender = row.tipAnonymous && row.tipFromUserId !== userId;
    return {
      id: row.id,
      kind: row.kind,
      account: row.account,
      amountTokens: row.amountTokens,
      createdAt: row.createdAt,
      stream: row.streamId ? { id: row.streamId, title: row.streamTitle ?? '' } : null,
      note: row.tipNote,
      counterpart:
        row.counterpartUsername && !hideSender
          ? {
              username: row.counterpartUsername,
              displayName: row.counterpartDisplayName ?? row.counterpartUsername,
            }
          : null,
      anonymous: Boolean(row.tipAnonymous),
    };
  });
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Tips the user sent (`direction: 'sent'`) or received, newest first; anonymous senders stay hidden. */
export async function tipHistory(deps: CoreDeps, userId: string, direction: 'sent' | 'received', page: Page) {
  const other = alias(users, 'other_user');
  const mine = direction === 'sent' ? tips.fromUserId : tips.toUserId;
  const theirs = direction === 'sent' ? tips.toUserId : tips.fromUserId;
  const rows = await deps.db
    .select({
      tip: tips,
      streamTitle: streams.title,
      otherUsername: other.username,
      otherDisplayName: other.displayName,
    })
    .from(tips)
    .innerJoin(streams, eq(streams.id, tips.streamId))
    .innerJoin(other, eq(other.id, theirs))
    .where(and(eq(mine, userId), page.cursor ? lt(tips.id, page.cursor) : undefined))
    .orderBy(desc(tips.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.tip.id,
    amountTokens: row.tip.amountTokens,
    /** Taken back because the purchase that paid for it was refunded or disputed; null when it stands. */
    reversedTokens: row.tip.reversedTokens,
    note: row.tip.note,
    anonymous: row.tip.anonymous,
    createdAt: row.tip.createdAt,
    stream: { id: row.tip.streamId, title: row.streamTitle },
    user:
      direction === 'received' && row.tip.anonymous
        ? null
        : { username: row.otherUsername, displayName: row.otherDisplayName },
  }));
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

export const ANALYTICS_RANGES = { '7d': 7, '30d': 30, '90d': 90 } as const;
export type AnalyticsRange = keyof typeof ANALYTICS_RANGES;

/** What stands of a tip: all of it, less what a refund of the purchase behind it reversed. */
const standing = sql`${tips.amountTokens} - coalesce(${tips.reversedTokens}, 0)`;

/** A streamer's tips over a range, less what was reversed: per day and week, top tippers, per stream, average. */
export async function tipAnalytics(deps: CoreDeps, streamerId: string, range: AnalyticsRange) {
  const since = new Date(deps.clock.now().getTime() - ANALYTICS_RANGES[range] * 86_400_000);
  const scope = and(eq(tips.toUserId, streamerId), gte(tips.createdAt, since));
  const tipper = alias(users, 'tipper');
  const [totals, perDay, perWeek, topTippers, perStream] = await Promise.all([
    deps.db
      .select({ tokens: sql<string>`coalesce(sum(${standing}), 0)`, count: sql<string>`count(*)` })
      .from(tips)
      .where(scope),
    bucketed(deps, scope, 'day'),
    bucketed(deps, scope, 'week'),
    deps.db
      .select({
        username: tipper.username,
        displayName: tipper.displayName,
        tokens: sql<string>`sum(${standing})`,
        count: sql<string>`count(*)`,
      })
      .from(tips)
      .innerJoin(tipper, eq(tipper.id, tips.fromUserId))
      .where(and(scope, eq(tips.anonymous, false)))
      .groupBy(tipper.id)
      .orderBy(desc(sql`sum(${standing})`))
      .limit(10),
    deps.db
      .select({
        streamId: streams.id,
        title: streams.title,
        tokens: sql<string>`sum(${standing})`,
        count: sql<string>`count(*)`,
      })
      .from(tips)
      .innerJoin(streams, eq(streams.id, tips.streamId))
      .where(scope)
      .groupBy(streams.id)
      .orderBy(desc(sql`sum(${standing})`))
      .limit(20),
  ]);
  const totalTokens = Number(totals[0]?.tokens ?? 0);
  const tipCount = Number(totals[0]?.count ?? 0);
  const numbers = <T extends { tokens: string; count: string }>(
    rows: T[],
  ): (Omit<T, 'tokens' | 'count'> & { tokens: number; count: number })[] =>
    rows.map((row) => ({ ...row, tokens: Number(row.tokens), count: Number(row.count) }));
  return {
    range,
    since,
    totalTokens,
    tipCount,
    averageTip: tipCount === 0 ? 0 : Math.round((totalTokens / tipCount) * 10) / 10,
    perDay: numbers(perDay),
    perWeek: numbers(perWeek),
    topTippers: numbers(topTippers),
    perStream: numbers(perStream),
  };
}

async function bucketed(deps: CoreDeps, scope: ReturnType<typeof and>, unit: 'day' | 'week') {
  const bucket = sql<string>`to_char(date_trunc(${sql.raw(`'${unit}'`)}, ${tips.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  return deps.db
    .select({ date: bucket, tokens: sql<string>`sum(${standing})`, count: sql<string>`count(*)` })
    .from(tips)
    .where(scope)
    .groupBy(bucket)
    .orderBy(bucket);
}
