import type { Transaction } from '@app/db/client';
import { uniqueViolation } from '@app/db/engine';
import { streamGoals, streams } from '@app/db/schema';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { GoalView } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { readableStream } from './access.ts';
import {
  type CreateGoalInput,
  GOAL_LIMITS,
  type ReorderGoalsInput,
  type UpdateGoalInput,
} from './goals-schemas.ts';
import {
  activeGoal,
  endGoal,
  GOAL_RECENT_MAX,
  type GoalRecord,
  goalView,
  queuedGoals,
} from './goals-state.ts';
import {
  activeGoalView,
  announceGoals,
  announcementOf,
  databaseNow,
  type GoalAnnouncement,
  lockGoals,
  readGoals,
  saveGoals,
} from './goals-store.ts';

export * from './goals-schemas.ts';
export { GOAL_QUEUE_MAX, GOAL_RECENT_MAX } from './goals-state.ts';

/** A goal in a list: as viewers see it, with when it ended. */
export type GoalListItem = GoalView & { endedAt: string | null };
export type GoalList = { active: GoalListItem | null; queue: GoalListItem[]; recent: GoalListItem[] };

const listItem = (goal: GoalRecord): GoalListItem => ({
  ...goalView(goal),
  endedAt: goal.endedAt?.toISOString() ?? null,
});

const DAY_MS = 24 * 60 * 60 * 1000;

function checkDeadline(deps: CoreDeps, deadlineAt: Date | null | undefined) {
  if (!deadlineAt) return;
  const now = deps.clock.now().getTime();
  if (deadlineAt.getTime() <= now) throw invalid('deadlineAt', 'Set the deadline in the future.');
  if (deadlineAt.getTime() > now + GOAL_LIMITS.deadlineDaysMax * DAY_MS) {
    throw invalid('deadlineAt', `Set the deadline within ${GOAL_LIMITS.deadlineDaysMax} days.`);
  }
}

/** Whole milliseconds: goal windows are compared with tips at that precision. */
const wholeMs = (date: Date | null | undefined) => (date ? new Date(Math.floor(date.getTime())) : null);

/**
 * Locks the stream's row (so two goal changes of one stream take turns), then its open goals.
 */
async function lockStreamGoals(tx: Transaction, streamId: string) {
  await tx.execute(sql`select id from streams where id = ${streamId}::uuid for no key update`);
  return (await lockGoals(tx, [streamId])).get(streamId) ?? [];
}

async function ownedGoal(deps: CoreDeps, viewer: NonNullable<Viewer>, goalId: string) {
  const [found] = await deps.db
    .select({ streamId: streamGoals.streamId, streamerId: streams.streamerId, status: streamGoals.status })
    .from(streamGoals)
    .innerJoin(streams, eq(streams.id, streamGoals.streamId))
    .where(eq(streamGoals.id, goalId));
  if (!found) throw notFound('That goal');
  if (found.streamerId !== viewer.id) throw forbidden('Only the streamer can change their goals.');
  return found;
}

const ended = () => new DomainError('CONFLICT', 'This goal has already ended; set a new one instead.');

/**
 * The streamer sets a goal on their current stream (draft or live): it starts at once when no goal is active,
 * else it waits at the end of the queue.
 */
export async function createGoal(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: CreateGoalInput,
): Promise<GoalListItem> {
  checkDeadline(deps, input.deadlineAt);
  const [stream] = await deps.db
    .select({ id: streams.id })
    .from(streams)
    .where(and(eq(streams.streamerId, viewer.id), ne(streams.status, 'ended')));
  if (!stream)
    throw new DomainError('CONFLICT', 'Set up a stream in the studio first; goals belong to a stream.');
  try {
    const { goal, announcement } = await deps.db.transaction(async (tx) => {
      const goals = await lockStreamGoals(tx, stream.id);
      const now = await databaseNow(tx);
      const queue = queuedGoals(goals);
      const starts = activeGoal(goals) === null;
      if (!starts && queue.length >= GOAL_LIMITS.queueMax) {
        throw new DomainError(
          'CONFLICT',
          `The queue holds at most ${GOAL_LIMITS.queueMax} goals. Cancel one before adding another.`,
        );
      }
      const [row] = await tx
        .insert(streamGoals)
        .values({
          streamId: stream.id,
          title: input.title,
          targetTokens: input.targetTokens,
          status: starts ? 'active' : 'queued',
          position: starts ? 0 : Math.max(0, ...queue.map((goal) => goal.position)) + 1,
          startedAt: starts ? now : null,
          deadlineAt: wholeMs(input.deadlineAt),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const goal: GoalRecord = row!;
      return { goal, announcement: starts ? announcementOf(stream.id, [goal], []) : null };
    });
    if (announcement) await announceGoals(deps, announcement);
    return listItem(goal);
  } catch (error) {
    if (uniqueViolation(error) === 'stream_goals_one_active_key') {
      throw new DomainError('CONFLICT', 'Another goal was just set on this stream. Reload and try again.');
    }
    throw error;
  }
}

/**
 * The streamer edits a goal that has not ended. Lowering the active goal's target to its progress or below
 * completes it (announced) and starts the next queued one.
 */
export async function updateGoal(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: UpdateGoalInput,
): Promise<GoalListItem> {
  checkDeadline(deps, input.deadlineAt);
  const { streamId } = await ownedGoal(deps, viewer, input.goalId);
  const { goal, announcement } = await deps.db.transaction(async (tx) => {
    const goals = await lockStreamGoals(tx, streamId);
    const now = await databaseNow(tx);
    const goal = goals.find((candidate) => candidate.id === input.goalId);
    if (!goal) throw ended();
    if (input.title !== undefined) goal.title = input.title;
    if (input.targetTokens !== undefined) goal.targetTokens = input.targetTokens;
    if (input.deadlineAt !== undefined) goal.deadlineAt = wholeMs(input.deadlineAt);
    const changed = new Set<GoalRecord>([goal]);
    const completed: GoalRecord[] = [];
    if (goal.status === 'active' && goal.progressTokens >= goal.targetTokens) {
      for (const next of endGoal(goals, goal, 'reached', now)) changed.add(next);
      completed.push(goal);
    }
    await saveGoals(tx, changed, now);
    const touchesBar = goal.status !== 'queued';
    return { goal, announcement: touchesBar ? announcementOf(streamId, goals, completed) : null };
  });
  if (announcement) await announceGoals(deps, announcement);
  return listItem(goal);
}

/** The streamer cancels a goal: the active one ends and the next queued starts; a queued one leaves the queue. */
export async function cancelGoal(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  goalId: string,
): Promise<GoalListItem> {
  const { streamId } = await ownedGoal(deps, viewer, goalId);
  const { goal, announcement } = await deps.db.transaction(async (tx) => {
    const goals = await lockStreamGoals(tx, streamId);
    const now = await databaseNow(tx);
    const goal = goals.find((candidate) => candidate.id === goalId);
    if (!goal) throw ended();
    const wasActive = goal.status === 'active';
    let changed: GoalRecord[] = [goal];
    if (wasActive) changed = endGoal(goals, goal, 'cancelled', now);
    else {
      goal.status = 'cancelled';
      goal.endedAt = now;
    }
    await saveGoals(tx, changed, now);
    return { goal, announcement: wasActive ? announcementOf(streamId, goals, []) : null };
  });
  if (announcement) await announceGoals(deps, announcement);
  return listItem(goal);
}

/** The streamer puts their queued goals in a new order (the first starts next); every queued goal is named once. */
export async function reorderGoals(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: ReorderGoalsInput,
): Promise<GoalListItem[]> {
  const { streamId } = await ownedGoal(deps, viewer, input.goalIds[0]!);
  return deps.db.transaction(async (tx) => {
    const queue = queuedGoals(await lockStreamGoals(tx, streamId));
    const now = await databaseNow(tx);
    const named = new Set(input.goalIds);
    if (
      named.size !== input.goalIds.length ||
      named.size !== queue.length ||
      queue.some((g) => !named.has(g.id))
    ) {
      throw invalid('goalIds', 'Name every queued goal exactly once, in the order they should start.');
    }
    const byId = new Map(queue.map((goal) => [goal.id, goal]));
    const ordered = input.goalIds.map((id, index) => Object.assign(byId.get(id)!, { position: index + 1 }));
    await saveGoals(tx, ordered, now);
    return ordered.map(listItem);
  });
}

/** Anyone who may see the stream: its active goal, the queue in order, and the newest goals that ended. */
export async function listGoals(deps: CoreDeps, viewer: Viewer, streamId: string): Promise<GoalList> {
  await readableStream(deps, viewer, streamId);
  const goals = await readGoals(deps.db, streamId, GOAL_RECENT_MAX);
  const active = activeGoal(goals);
  const recent = goals
    .filter((goal) => goal.status !== 'active' && goal.status !== 'queued')
    .sort((a, b) => (b.endedAt?.getTime() ?? 0) - (a.endedAt?.getTime() ?? 0));
  return {
    active: active ? listItem(active) : null,
    queue: queuedGoals(goals).map(listItem),
    recent: recent.map(listItem),
  };
}

/** The stream's active goal as its viewers see it on arrival, or null. */
export function currentGoal(deps: CoreDeps, streamId: string): Promise<GoalView | null> {
  return activeGoalView(deps.db, streamId);
}

export type { GoalAnnouncement };
