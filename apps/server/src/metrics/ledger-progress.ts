import type { Database } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';

export type LedgerProgress = {
  lastTransactionId: number;
  lastTipId: number;
  /** Per projection: transactions committed beyond its cursor, and how old the oldest of them is (seconds). */
  projections: { name: string; behind: number; oldestSeconds: number }[];
};

/**
 * The ledger's progress, read at a scrape: the highest ledger transaction and tip ids (identity columns only grow,
 * so their rate is the platform's transactions and tips per second), and for each projector cursor how far the
 * ledger has run ahead of it. Index-only reads of the last row, not counts.
 */
export async function readLedgerProgress(db: Database): Promise<LedgerProgress> {
  const [heads] = rowsOf<{ transactions: string | number; tips: string | number }>(
    await db.execute(sql`
    select coalesce((select max(id) from ledger_transactions), 0)::bigint as transactions,
           coalesce((select max(id) from tips), 0)::bigint as tips
  `),
  );
  const cursors = rowsOf<{ name: string; behind: string | number; oldest: number }>(
    await db.execute(sql`
    select c.name,
           greatest(coalesce((select max(id) from ledger_transactions), 0) - c.position, 0)::bigint as behind,
           coalesce(extract(epoch from now() - (
             select t.created_at from ledger_transactions t where t.id > c.position order by t.id limit 1
           )), 0)::float8 as oldest
    from projector_cursors c
    order by c.name
  `),
  );
  return {
    lastTransactionId: Number(heads?.transactions ?? 0),
    lastTipId: Number(heads?.tips ?? 0),
    projections: cursors.map((row) => ({
      name: row.name,
      behind: Number(row.behind),
      oldestSeconds: Math.max(0, Number(row.oldest)),
    })),
  };
}
