import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';

/**
 * Each goal's progress of a stream derived from `tips` alone: every tip's standing amount (less what was reversed)
 * counted toward the first goal whose window holds the millisecond it was sent, as the projection counts it
 * (`goals-state.ts`). Goals no tip counts toward are absent (0).
 */
export async function recountGoals(db: Executor, streamId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ goalId: string; progressTokens: number }>(
    await db.execute(sql`
      select g.id::text as "goalId", sum(t.amount_tokens - coalesce(t.reversed_tokens, 0))::float8 as "progressTokens"
      from tips t
      cross join lateral (
        select g.id from stream_goals g
        where g.stream_id = t.stream_id and g.started_at is not null
          and g.started_at <= date_trunc('milliseconds', t.created_at)
          and (g.ended_at is null or date_trunc('milliseconds', t.created_at) <= g.ended_at)
        order by g.started_at, g.ended_at nulls last, g.id
        limit 1
      ) g
      where t.stream_id = ${streamId}::uuid
      group by g.id`),
  );
  return new Map(rows.map((row) => [row.goalId, Number(row.progressTokens)]));
}

/** Rebuild: sets every goal's progress of the stream to its recount; statuses stay as they were decided. */
export async function rebuildGoalProgress(db: Executor, streamId: string): Promise<void> {
  const counted = await recountGoals(db, streamId);
  const entries = [...counted.entries()];
  await db.execute(sql`
    update stream_goals g set progress_tokens = coalesce(c.tokens, 0)
    from stream_goals s
    left join (select * from unnest(${`{${entries.map(([id]) => id).join(',')}}`}::uuid[],
        ${`{${entries.map(([, tokens]) => tokens).join(',')}}`}::bigint[]) as x(id, tokens)) c on c.id = s.id
    where g.id = s.id and s.stream_id = ${streamId}::uuid and s.started_at is not null`);
}
