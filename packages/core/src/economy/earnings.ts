import type { Database, Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { ledgerBalances } from '@app/db/schema';
import { asc, eq, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import type { AccountRef } from './accounts.ts';

// A streamer's earnings are one ledger account; what of it is pending is read from `tips`: what stands (was not
// reversed) of every tip younger than the hold (`earningsHoldHours`). Available is the rest. A withdrawal draws only on
// available, so the account always covers its pending tips and a reversal can always take one back whole.

export type EarningsSplit = {
  totalTokens: number;
  /** Tips still inside the hold: a refund or dispute of the purchase behind them can take them back. */
  pendingTokens: number;
  /** What a withdrawal may take now. */
  availableTokens: number;
  /** When the oldest pending tip matures, and how much it is; null when nothing is pending. */
  nextMaturity: { at: Date; tokens: number } | null;
};

/** The moment before which tips have matured. */
export function holdStart(deps: CoreDeps): Date {
  return new Date(deps.clock.now().getTime() - deps.economy.earningsHoldHours * 3_600_000);
}

type PendingRow = { pending: string | number; oldestAt: string | Date | null; oldestTokens: string | number };

/** Splits `totalTokens` of a streamer's earnings into pending and available. */
export async function splitEarnings(
  deps: CoreDeps,
  db: Database | Transaction,
  streamerId: string,
  totalTokens: number,
): Promise<EarningsSplit> {
  const since = holdStart(deps);
  const [row] = rowsOf<PendingRow>(
    await db.execute(sql`
      with standing as (
        select created_at, id, amount_tokens - coalesce(reversed_tokens, 0) as tokens from tips
        where to_user_id = ${streamerId}::uuid and created_at > ${since.toISOString()}::timestamptz
          and amount_tokens > coalesce(reversed_tokens, 0))
      select coalesce(sum(tokens), 0) as pending, min(created_at) as "oldestAt",
        coalesce((select tokens from standing order by created_at, id limit 1), 0) as "oldestTokens"
      from standing`),
  );
  const pendingTokens = Math.min(Number(row?.pending ?? 0), totalTokens);
  const oldest = row?.oldestAt ? new Date(row.oldestAt) : null;
  return {
    totalTokens,
    pendingTokens,
    availableTokens: totalTokens - pendingTokens,
    nextMaturity: oldest
      ? {
          at: new Date(oldest.getTime() + deps.economy.earningsHoldHours * 3_600_000),
          tokens: Number(row?.oldestTokens ?? 0),
        }
      : null,
  };
}

/**
 * Locks every balance row of a streamer's earnings (in shard order, as the ledger's sharded debit does) and
 * returns the split as of that moment: no withdrawal or reversal can change it until the transaction ends.
 */
export async function lockEarnings(
  deps: CoreDeps,
  tx: Transaction,
  streamerId: string,
  earnings: AccountRef,
): Promise<EarningsSplit> {
  const rows = await tx
    .select({ balance: ledgerBalances.balance })
    .from(ledgerBalances)
    .where(eq(ledgerBalances.accountId, earnings.id))
    .orderBy(asc(ledgerBalances.shard))
    .for('update');
  const total = rows.reduce((sum, row) => sum + row.balance, 0);
  return splitEarnings(deps, tx, streamerId, total);
}

/** "1,200 tokens mature on Jun 4, 12:00 UTC" for refusals and the studio. */
export function describeMaturity(maturity: EarningsSplit['nextMaturity']): string {
  if (!maturity) return '';
  const when = maturity.at.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'UTC',
  });
  return `the next ${maturity.tokens.toLocaleString('en-US')} mature on ${when} UTC`;
}
