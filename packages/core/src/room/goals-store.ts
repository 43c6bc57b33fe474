import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import type { GoalStatus } from '@app/db/schema';
import { sql } from 'drizzle-orm';
import { type GoalView, publishToRoom } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { activeGoal, type GoalRecord, goalView } from './goals-state.ts';

type GoalRow = {
  id: string;
  streamId: string;
  title: string;
  targetTokens: number;
  progressTokens: number;
  status: GoalStatus;
  position: number;
  startedAt: string | Date | null;
  deadlineAt: string | Date | null;
  reachedAt: string | Date | null;
  endedAt: string | Date | null;
  createdAt: string | Date;
};

const dateOf = (value: string | Date | null) => (value === null ? null : new Date(value));

function recordOf(row: GoalRow): GoalRecord {
  return {
    id: row.id,
    streamId: row.streamId,
    title: row.title,
    targetTokens: Number(row.targetTokens),
    progressTokens: Number(row.progressTokens),
    status: row.status,
    position: Number(row.position),
    startedAt: dateOf(row.startedAt),
    deadlineAt: dateOf(row.deadlineAt),
    reachedAt: dateOf(row.reachedAt),
    endedAt: dateOf(row.endedAt),
    createdAt: new Date(row.createdAt),
  };
}

const COLUMNS = sql`id, stream_id as "streamId", title, target_tokens::float8 as "targetTokens",
  progress_tokens::float8 as "progressTokens", status, position, started_at as "startedAt",
  deadline_at as "deadlineAt", reached_at as "reachedAt", ended_at as "endedAt", created_at as "createdAt"`;

/**
 * The goals of `streamIds` that a change can touch, locked until the transaction ends (in id order, so two
 * transactions never wait on each other in a circle): the active and queued ones, and the ended ones whose window
 * reaches back to `since` (where a late tip or a reversal of an older tip may count).
 */
export async function lockGoals(
  tx: Executor,
  streamIds: readonly string[],
  since: Date | null = null,
): Promise<Map<string, GoalRecord[]>> {
  const rows = rowsOf<GoalRow>(
    await tx.execute(sql`
      select ${COLUMNS} from stream_goals
      where stream_id = any(${`{${streamIds.join(',')}}`}::uuid[])
        and (status in ('active', 'queued')
          or (${since?.toISOString() ?? null}::timestamptz is not null and started_at is not null
            and ended_at >= ${since?.toISOString() ?? null}::timestamptz))
      order by id
      for update`),
  );
  const byStream = new Map<string, GoalRecord[]>(streamIds.map((id) => [id, []]));
  for (const row of rows) byStream.get(row.streamId)?.push(recordOf(row));
  return byStream;
}

/**
 * Writes changed goals back in two statements: those leaving `active` (or never in it) first, then the active
 * ones, so the one-active-goal index never sees two at once (it is checked row by row).
 */
export async function saveGoals(tx: Executor, changed: Iterable<GoalRecord>, now: Date): Promise<void> {
  const unique = [...new Map([...changed].map((goal) => [goal.id, goal])).values()];
  const rest = unique.filter((goal) => goal.status !== 'active');
  const active = unique.filter((goal) => goal.status === 'active');
  for (const batch of [rest, active]) if (batch.length > 0) await updateGoals(tx, batch, now);
}

async function updateGoals(tx: Executor, goals: readonly GoalRecord[], now: Date) {
  const rows = goals.map((goal) => ({
    id: goal.id,
    title: goal.title,
    target_tokens: goal.targetTokens,
    progress_tokens: goal.progressTokens,
    status: goal.status,
    position: goal.position,
    started_at: goal.startedAt?.toISOString() ?? null,
    deadline_at: goal.deadlineAt?.toISOString() ?? null,
    reached_at: goal.reachedAt?.toISOString() ?? null,
    ended_at: goal.endedAt?.toISOString() ?? null,
  }));
  await tx.execute(sql`
    update stream_goals g set title = x.title, target_tokens = x.target_tokens,
      progress_tokens = x.progress_tokens, status = x.status, position = x.position, started_at = x.started_at,
      deadline_at = x.deadline_at, reached_at = x.reached_at, ended_at = x.ended_at,
      updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as x(id uuid, title text, target_tokens bigint,
      progress_tokens bigint, status text, position integer, started_at timestamptz, deadline_at timestamptz,
      reached_at timestamptz, ended_at timestamptz)
    where g.id = x.id`);
}

/**
 * The database's now, in whole milliseconds: a goal's window starts and ends on the same clock that stamps the tips
 * (`tips.created_at`), so a tip sent after a goal starts always counts toward it, whatever the app server's clock.
 */
export async function databaseNow(tx: Executor): Promise<Date> {
  const [row] = rowsOf<{ now: string | Date }>(
    await tx.execute(sql`select date_trunc('milliseconds', now()) as now`),
  );
  return new Date(row!.now);
}

/** What a change tells the room after commit: the bar as it now stands, and each goal newly reached. */
export type GoalAnnouncement = { streamId: string; active: GoalView | null; completed: GoalView[] };

export function announcementOf(
  streamId: string,
  goals: readonly GoalRecord[],
  completed: readonly GoalRecord[],
): GoalAnnouncement {
  const active = activeGoal(goals);
  return { streamId, active: active ? goalView(active) : null, completed: completed.map(goalView) };
}

export async function announceGoals(deps: CoreDeps, announcement: GoalAnnouncement): Promise<void> {
  const { streamId } = announcement;
  for (const goal of announcement.completed) {
    await publishToRoom(deps.bus, streamId, { type: 'goal.completed', streamId, goal });
  }
  await publishToRoom(deps.bus, streamId, { type: 'goal.progress', streamId, goal: announcement.active });
}

/** The stream's active goal as viewers see it (the arrival snapshot), or null. */
export async function activeGoalView(db: Executor, streamId: string): Promise<GoalView | null> {
  const [row] = rowsOf<GoalRow>(
    await db.execute(sql`
      select ${COLUMNS} from stream_goals where stream_id = ${streamId}::uuid and status = 'active'`),
  );
  return row ? goalView(recordOf(row)) : null;
}

/** Every goal of a stream that a list shows: active, queued, and the newest ended ones that ran. */
export async function readGoals(db: Executor, streamId: string, recent: number): Promise<GoalRecord[]> {
  const rows = rowsOf<GoalRow>(
    await db.execute(sql`
      (select ${COLUMNS} from stream_goals
        where stream_id = ${streamId}::uuid and status in ('active', 'queued'))
      union all
      (select ${COLUMNS} from stream_goals
        where stream_id = ${streamId}::uuid and status not in ('active', 'queued') and started_at is not null
        order by ended_at desc nulls last, id limit ${recent})`),
  );
  return rows.map(recordOf);
}
