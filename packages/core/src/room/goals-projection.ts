import type { Executor, Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import { type Fact, isTipFact, type TipFact } from '../gamification/facts.ts';
import type { Projection, ProjectorState } from '../gamification/projector.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { endGoal, type GoalRecord, goalAt, queuedGoals, startNext } from './goals-state.ts';
import {
  announceGoals,
  announcementOf,
  databaseNow,
  type GoalAnnouncement,
  lockGoals,
  saveGoals,
} from './goals-store.ts';

/** How often active goals are checked against their deadline. */
export const GOAL_EXPIRY_SECONDS = 15;

/**
 * Goal progress as a projection of tips: each tip (and each reversal, negative) counts toward the goal whose window
 * holds the moment it was sent (`goals-state.ts`). The tip that reaches the active goal's target ends it and starts
 * the next queued goal, so the rest of the pass counts toward that one. A goal is reached once (its status leaves
 * `active`), so `goal.completed` is announced once per goal; a reversal after that lowers its progress only.
 */
export const GOAL_PROGRESS: Projection = {
  name: 'goals',
  apply: applyTips,
  every: {
    seconds: GOAL_EXPIRY_SECONDS,
    run: async (deps) => {
      await expireGoals(deps);
    },
  },
};

async function applyTips(deps: CoreDeps, tx: Transaction, facts: Fact[], before: ProjectorState) {
  const tips = facts.filter(isTipFact);
  if (tips.length === 0) return undefined;
  const since = new Date(tips.reduce((min, tip) => Math.min(min, tip.tippedAt.getTime()), Infinity));
  const tipsByStream = new Map<string, TipFact[]>();
  for (const tip of tips) {
    const list = tipsByStream.get(tip.streamId);
    if (list) list.push(tip);
    else tipsByStream.set(tip.streamId, [tip]);
  }
  const byStream = await lockGoals(tx, [...tipsByStream.keys()], since);
  const now = deps.clock.now();
  const announcements: GoalAnnouncement[] = [];
  const changedAll: GoalRecord[] = [];
  for (const [streamId, goals] of byStream) {
    if (goals.length === 0) continue;
    const changed = new Set<GoalRecord>();
    const completed: GoalRecord[] = [];
    for (const tip of tipsByStream.get(streamId) ?? []) {
      const goal = goalAt(goals, tip.tippedAt);
      if (!goal) continue;
      goal.progressTokens += tip.amountTokens;
      changed.add(goal);
      if (goal.status === 'active' && tip.amountTokens > 0 && goal.progressTokens >= goal.targetTokens) {
        goal.reachedAt = tip.tippedAt;
        for (const next of endGoal(goals, goal, 'reached', await windowEnd(tx, goal, tip, before)))
          changed.add(next);
        completed.push(goal);
      }
    }
    if (changed.size === 0) continue;
    changedAll.push(...changed);
    if (completed.length > 0 || [...changed].some((goal) => goal.status === 'active')) {
      announcements.push(announcementOf(streamId, goals, completed));
    }
  }
  // Every stream's changes in one pair of statements (see `saveGoals`).
  await saveGoals(tx, changedAll, now);
  if (announcements.length === 0) return undefined;
  return async () => {
    for (const announcement of announcements) await announceGoals(deps, announcement);
  };
}

/**
 * Where a reached goal's window closes: at the tip that reached it, or later when a tip sent later was already
 * counted (tips commit out of the order they were sent). Every tip counted so far must stay inside the window: the
 * ones applied before this pass (at or below its starting position, not a hole) and the ones before this tip in
 * the pass (lower ids: the pass applies the filled holes first, then new facts, each in id order). One not counted
 * yet that falls inside the window counts toward this goal when it arrives, as a recount would.
 */
async function windowEnd(
  tx: Executor,
  goal: GoalRecord,
  tip: TipFact,
  before: ProjectorState,
): Promise<Date> {
  const holes = `{${[...before.holes.keys()].join(',')}}`;
  const [row] = rowsOf<{ at: string | Date | null }>(
    await tx.execute(sql`
      select max(date_trunc('milliseconds', t.created_at)) as at from tips t
      where t.stream_id = ${goal.streamId}::uuid
        and t.created_at >= ${goal.startedAt!.toISOString()}::timestamptz
        and (t.ledger_transaction_id < ${tip.transactionId}
          or (t.ledger_transaction_id <= ${before.position}
            and t.ledger_transaction_id <> all(${holes}::bigint[])))`),
  );
  const latest = row?.at ? new Date(row.at).getTime() : 0;
  return new Date(Math.max(latest, tip.tippedAt.getTime()));
}

/**
 * Ends active goals whose deadline has passed (`expired`) and starts the next queued one; queued goals whose
 * deadline passed while they waited expire without starting.
 */
export async function expireGoals(deps: CoreDeps): Promise<number> {
  const now = deps.clock.now();
  const due = rowsOf<{ streamId: string }>(
    await deps.db.execute(sql`
      select distinct stream_id as "streamId" from stream_goals
      where status in ('active', 'queued') and deadline_at <= ${now.toISOString()}::timestamptz`),
  );
  let expired = 0;
  for (const { streamId } of due) {
    const announcement = await deps.db.transaction(async (tx) => {
      const goals = (await lockGoals(tx, [streamId])).get(streamId) ?? [];
      // Due by the platform's clock; ended on the database's, which stamps the tips the window holds.
      const endedAt = await databaseNow(tx);
      const changed = new Set<GoalRecord>();
      const isDue = (goal: GoalRecord) => goal.deadlineAt !== null && goal.deadlineAt <= now;
      for (const goal of queuedGoals(goals).filter(isDue)) {
        goal.status = 'expired';
        goal.endedAt = endedAt;
        changed.add(goal);
      }
      const active = goals.find((goal) => goal.status === 'active' && isDue(goal));
      if (active) for (const goal of endGoal(goals, active, 'expired', endedAt)) changed.add(goal);
      else for (const goal of startNext(goals, endedAt)) changed.add(goal);
      expired += [...changed].filter((goal) => goal.status === 'expired').length;
      await saveGoals(tx, changed, endedAt);
      return active ? announcementOf(streamId, goals, []) : null;
    });
    if (announcement) await announceGoals(deps, announcement);
  }
  return expired;
}
