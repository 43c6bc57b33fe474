import { rowsOf } from '@app/db/engine';
import { streamGoals } from '@app/db/schema';
import { desc, eq, sql } from 'drizzle-orm';
import { publishToRoom, type StreamGoalView } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';

/** The stream's newest goal, or null. */
export async function currentGoal(deps: CoreDeps, streamId: string): Promise<StreamGoalView | null> {
  const [goal] = await deps.db
    .select()
    .from(streamGoals)
    .where(eq(streamGoals.streamId, streamId))
    .orderBy(desc(streamGoals.createdAt))
    .limit(1);
  return goal ? goalView(goal) : null;
}

function goalView(goal: typeof streamGoals.$inferSelect): StreamGoalView {
  return {
    id: goal.id,
    title: goal.title,
    targetTokens: goal.targetTokens,
    progressTokens: goal.progressTokens,
    reachedAt: goal.reachedAt?.toISOString() ?? null,
  };
}

/**
 * Brings the stream's newest open goal up to the tips it has received since it was set, and shows viewers the bar
 * when it moved. Progress is read from `tips`, never added to, so a retried tip, or two tips committing at once,
 * count exactly once: `greatest` keeps the higher of two sums read from snapshots a moment apart, and the update
 * that follows the last tip's commit reads every tip.
 */
export async function refreshGoal(deps: CoreDeps, streamId: string): Promise<StreamGoalView | null> {
  const now = deps.clock.now();
  const [goal] = rowsOf<GoalRow>(
    await deps.db.execute(sql`
      update stream_goals g
      set progress_tokens = greatest(g.progress_tokens, received.total),
        reached_at = case when greatest(g.progress_tokens, received.total) >= g.target_tokens
          then ${now.toISOString()}::timestamptz end
      from (select open.id, coalesce((select sum(t.amount_tokens - coalesce(t.reversed_tokens, 0)) from tips t
          where t.stream_id = open.stream_id and t.created_at >= open.created_at), 0)::bigint as total
        from stream_goals open
        where open.stream_id = ${streamId}::uuid and open.reached_at is null
        order by open.created_at desc limit 1) received
      where g.id = received.id and g.progress_tokens < received.total
      returning g.id, g.title, g.target_tokens::float8 as "targetTokens",
        g.progress_tokens::float8 as "progressTokens", g.reached_at as "reachedAt"`),
  );
  return announceGoal(deps, streamId, goal);
}

/**
 * Takes reversed tips out of the stream's newest goal: its progress drops to the tips that still stand (a goal
 * they no longer reach opens again), and viewers see the corrected bar. Only ever lowers progress, so it cannot
 * race a tip's `refreshGoal` into counting a tip twice.
 */
export async function recountGoal(deps: CoreDeps, streamId: string): Promise<StreamGoalView | null> {
  const [goal] = rowsOf<GoalRow>(
    await deps.db.execute(sql`
      update stream_goals g
      set progress_tokens = standing.total,
        reached_at = case when standing.total >= g.target_tokens then g.reached_at end
      from (select newest.id, coalesce((select sum(t.amount_tokens - coalesce(t.reversed_tokens, 0)) from tips t
          where t.stream_id = newest.stream_id and t.created_at >= newest.created_at), 0)::bigint as total
        from stream_goals newest
        where newest.stream_id = ${streamId}::uuid
        order by newest.created_at desc limit 1) standing
      where g.id = standing.id and g.progress_tokens > standing.total
      returning g.id, g.title, g.target_tokens::float8 as "targetTokens",
        g.progress_tokens::float8 as "progressTokens", g.reached_at as "reachedAt"`),
  );
  return announceGoal(deps, streamId, goal);
}

async function announceGoal(deps: CoreDeps, streamId: string, goal: GoalRow | undefined) {
  if (!goal) return null;
  const view: StreamGoalView = {
    id: goal.id,
    title: goal.title,
    targetTokens: Number(goal.targetTokens),
    progressTokens: Number(goal.progressTokens),
    reachedAt: goal.reachedAt ? new Date(goal.reachedAt).toISOString() : null,
  };
  await publishToRoom(deps.bus, streamId, { type: 'stream.goal', streamId, goal: view });
  return view;
}

type GoalRow = {
  id: string;
  title: string;
  targetTokens: number;
  progressTokens: number;
  reachedAt: string | Date | null;
};
