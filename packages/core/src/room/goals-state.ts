import type { GoalStatus } from '@app/db/schema';
import type { GoalView } from '../events/room.ts';

/**
 * The rules of a stream's goals, on the rows of one stream held in memory (read under lock, written back after).
 *
 * A goal counts the tips sent in its window: from `startedAt` to `endedAt` (both included; open while active). A
 * tip sent at the instant one goal ended and the next started counts toward the one that ended. Which goal a tip
 * counts toward depends only on when it was sent, never on when the projector read it, so a reversal finds the
 * same goal and a recount from `tips` gives the same progress (`goals-recount.ts`). All instants are whole
 * milliseconds (tips are compared at millisecond precision).
 */
export type GoalRecord = {
  id: string;
  streamId: string;
  title: string;
  targetTokens: number;
  progressTokens: number;
  status: GoalStatus;
  position: number;
  startedAt: Date | null;
  deadlineAt: Date | null;
  reachedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
};

/** Goals waiting their turn per stream: what a streamer can plan ahead without the list growing unbounded. */
export const GOAL_QUEUE_MAX = 10;
/** Ended goals shown in the studio and by `goals.list`. */
export const GOAL_RECENT_MAX = 10;

const ms = (date: Date | null) => (date === null ? Number.POSITIVE_INFINITY : date.getTime());

/** The goal a tip sent at `at` counts toward, or none: the first window that holds it. */
export function goalAt(goals: readonly GoalRecord[], at: Date): GoalRecord | null {
  let found: GoalRecord | null = null;
  const t = at.getTime();
  for (const goal of goals) {
    if (goal.startedAt === null || goal.startedAt.getTime() > t || ms(goal.endedAt) < t) continue;
    if (found === null || windowOrder(goal, found) < 0) found = goal;
  }
  return found;
}

/** Windows in order: by start, then the one that ended first, then by id (as `goals-recount.ts` orders them). */
function windowOrder(a: GoalRecord, b: GoalRecord): number {
  return (
    ms(a.startedAt) - ms(b.startedAt) ||
    ms(a.endedAt) - ms(b.endedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export const activeGoal = (goals: readonly GoalRecord[]) =>
  goals.find((goal) => goal.status === 'active') ?? null;

/** The queue in the order its goals start. */
export function queuedGoals(goals: readonly GoalRecord[]): GoalRecord[] {
  return goals
    .filter((goal) => goal.status === 'queued')
    .sort((a, b) => a.position - b.position || a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Ends the active goal (`reached`, `expired` or `cancelled`) at `endedAt` and starts the next queued one at the
 * same instant (or when it was created, if later). Queued goals whose deadline has passed by then expire
 * without starting. Returns the goals it changed.
 */
export function endGoal(
  goals: readonly GoalRecord[],
  goal: GoalRecord,
  status: 'reached' | 'expired' | 'cancelled',
  endedAt: Date,
): GoalRecord[] {
  goal.status = status;
  goal.endedAt = endedAt;
  if (status === 'reached') goal.reachedAt ??= endedAt;
  return [goal, ...startNext(goals, endedAt)];
}

/** Starts the first queued goal at `at` when none is active; returns the goals it changed. */
export function startNext(goals: readonly GoalRecord[], at: Date): GoalRecord[] {
  if (activeGoal(goals)) return [];
  const changed: GoalRecord[] = [];
  for (const next of queuedGoals(goals)) {
    const startedAt = new Date(Math.max(at.getTime(), Math.floor(next.createdAt.getTime())));
    changed.push(next);
    if (next.deadlineAt && next.deadlineAt.getTime() <= startedAt.getTime()) {
      next.status = 'expired';
      next.endedAt = startedAt;
      continue;
    }
    next.status = 'active';
    next.startedAt = startedAt;
    return changed;
  }
  return changed;
}

export function goalView(goal: GoalRecord): GoalView {
  return {
    id: goal.id,
    title: goal.title,
    targetTokens: goal.targetTokens,
    progressTokens: goal.progressTokens,
    status: goal.status,
    position: goal.position,
    startedAt: goal.startedAt?.toISOString() ?? null,
    deadlineAt: goal.deadlineAt?.toISOString() ?? null,
    reachedAt: goal.reachedAt?.toISOString() ?? null,
  };
}
