import type { Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { TipFact } from '../facts.ts';
import { type RegionScope, tipIncrements } from './keys.ts';

type RollupRow = { board: string; scope: string; bucket: string; member: string; delta: number };

/**
 * The Postgres rollup (no Redis): a pass's score changes summed per row, written in one upsert; rows at 0 or less
 * leave the board, as in Redis. Hour buckets are left out: without Redis the king is read from `tips`.
 */
export async function applyToRollup(
  tx: Transaction,
  facts: readonly TipFact[],
  regions: Map<string, RegionScope>,
): Promise<void> {
  const sums = new Map<string, RollupRow>();
  const none = { continent: null, country: null };
  for (const fact of facts) {
    for (const inc of tipIncrements(
      fact,
      regions.get(fact.tipperId) ?? none,
      regions.get(fact.streamerId) ?? none,
    )) {
      if (inc.bucket.startsWith('h:')) continue;
      const key = `${inc.board}\u0000${inc.scope}\u0000${inc.bucket}\u0000${inc.member}`;
      const row = sums.get(key);
      if (row) row.delta += inc.delta;
      else sums.set(key, { ...inc });
    }
  }
  const rows = [...sums.values()].filter((row) => row.delta !== 0);
  if (rows.length === 0) return;
  const written = rowsOf<RollupRow & { score: number }>(
    await tx.execute(sql`
      insert into leaderboard_rollups (board, scope, bucket, member, score)
      select r.board, r.scope, r.bucket, r.member, r.delta
        from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
          as r(board text, scope text, bucket text, member uuid, delta bigint)
      on conflict (board, scope, bucket, member)
        do update set score = leaderboard_rollups.score + excluded.score
      returning board, scope, bucket, member, score::float8 as score`),
  );
  const gone = written.filter((row) => Number(row.score) <= 0);
  if (gone.length === 0) return;
  await tx.execute(sql`
    delete from leaderboard_rollups l
      using jsonb_to_recordset(${JSON.stringify(gone)}::text::jsonb)
        as r(board text, scope text, bucket text, member uuid)
      where l.board = r.board and l.scope = r.scope and l.bucket = r.bucket and l.member = r.member`);
}
