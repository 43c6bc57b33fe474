import type { Executor, Transaction } from '@app/db/client';
import { sql } from 'drizzle-orm';
import { publishToRoom } from '../events/room.ts';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { type Fact, isPurchaseFact, isTipFact, type TipFact } from './facts.ts';
import { leagueOf } from './levels.ts';
import type { AfterCommit, Projection } from './projector.ts';
import {
  addStreamerXp,
  addViewerXp,
  type LevelChange,
  pgArray2,
  refreshLiveSeconds,
  refreshSpendTiers,
  utcDay,
  withoutJit,
} from './xp-store.ts';

/** What one pass of facts changes, per user: summed in memory, written in a few set-based statements. */
type Deltas = {
  spend: Map<string, number>;
  purchases: Map<string, number>;
  days: Map<string, number>;
  earned: Map<string, number>;
  /** The newest tip of each tipper in the pass: where a level-up is announced. */
  lastTip: Map<string, TipFact>;
};

function add(map: Map<string, number>, key: string, by: number) {
  map.set(key, (map.get(key) ?? 0) + by);
}

export function deltasOf(facts: readonly Fact[]): Deltas {
  const deltas: Deltas = {
    spend: new Map(),
    purchases: new Map(),
    days: new Map(),
    earned: new Map(),
    lastTip: new Map(),
  };
  for (const fact of facts) {
    if (isTipFact(fact)) {
      if (fact.amountTokens === 0) continue;
      add(deltas.spend, fact.tipperId, fact.amountTokens);
      add(deltas.days, `${fact.tipperId}|${utcDay(fact.tippedAt)}`, fact.amountTokens);
      add(deltas.earned, fact.streamerId, fact.amountTokens);
      if (fact.kind === 'tip') deltas.lastTip.set(fact.tipperId, fact);
    } else if (isPurchaseFact(fact)) {
      add(deltas.purchases, fact.userId, fact.kind === 'purchase' ? 1 : -1);
    }
  }
  return deltas;
}

/**
 * Applies one pass's deltas: a handful of statements whatever the number of users. The spend days go first, so the
 * statement that adds spend XP reads the 14-day spend (the name colour) with them.
 */
async function applyDeltas(tx: Executor, deltas: Deltas, now: Date) {
  if (deltas.days.size > 0) {
    const keys = [...deltas.days.keys()].sort();
    await tx.execute(sql`
      insert into user_spend_days (user_id, day, tokens)
      select i.user_id, i.day, i.tokens
      from unnest(${pgArray2(keys.map((k) => k.split('|')[0]!))}::uuid[],
        ${pgArray2(keys.map((k) => k.split('|')[1]!))}::date[],
        ${`{${keys.map((k) => deltas.days.get(k)).join(',')}}`}::bigint[]) as i(user_id, day, tokens)
      on conflict (user_id, day) do update set tokens = user_spend_days.tokens + excluded.tokens`);
  }
  // In id order, as the activity writer locks them: two writers never wait on each other in a cycle.
  const users = [...new Set([...deltas.spend.keys(), ...deltas.purchases.keys()])].sort();
  const viewers = await addViewerXp(
    tx,
    users,
    users.map((u) => deltas.spend.get(u) ?? 0),
    users.map((u) => deltas.purchases.get(u) ?? 0),
    now,
  );
  const streamers = [...deltas.earned.keys()].sort();
  const streamerChanges = await addStreamerXp(
    tx,
    streamers,
    streamers.map((s) => deltas.earned.get(s)!),
  );
  return { viewers, streamers: streamerChanges };
}

/**
 * Tells each user whose level went up (a level that went down, after a refund, is not announced), and the room of
 * the tip that lifted them; an anonymous tip's room is not told, so the level-up does not name its sender.
 */
export async function announceLevelUps(
  deps: CoreDeps,
  changes: { viewers: LevelChange[]; streamers: LevelChange[] },
  lastTip: Map<string, TipFact> = new Map(),
): Promise<void> {
  // Sent together (the Redis bus pipelines them), not one round trip after another.
  const sends: Promise<void>[] = [];
  for (const change of changes.viewers) {
    if (change.level <= change.before) continue;
    const league = leagueOf(change.level);
    sends.push(
      publishToUser(deps.bus, change.userId, {
        type: 'level.up',
        track: 'viewer',
        level: change.level,
        league,
        xp: change.xp,
      }),
    );
    const tip = lastTip.get(change.userId);
    if (tip && !tip.anonymous) {
      sends.push(
        publishToRoom(deps.bus, tip.streamId, {
          type: 'level.up',
          streamId: tip.streamId,
          user: { id: change.userId, username: change.username, displayName: change.displayName },
          level: change.level,
          league,
        }),
      );
    }
  }
  for (const change of changes.streamers) {
    if (change.level <= change.before) continue;
    sends.push(
      publishToUser(deps.bus, change.userId, {
        type: 'level.up',
        track: 'streamer',
        level: change.level,
        league: leagueOf(change.level),
        xp: change.xp,
      }),
    );
  }
  await Promise.all(sends);
}

/** Spend tiers as days roll off, and streamers' hours live: run by the projector's holder once a minute. */
export async function refreshLevels(deps: CoreDeps): Promise<void> {
  const now = deps.clock.now();
  const streamers = await deps.db.transaction(async (tx) => {
    await withoutJit(tx);
    await refreshSpendTiers(tx, now);
    return refreshLiveSeconds(tx, now);
  });
  await announceLevelUps(deps, { viewers: [], streamers });
}

/** XP, levels and spend tiers from tips and purchases (`user_levels`, `user_spend_days`, `streamer_levels`). */
export const XP_PROJECTION: Projection = {
  name: 'xp',
  apply: async (deps: CoreDeps, tx: Transaction, facts: Fact[]): Promise<AfterCommit | undefined> => {
    const deltas = deltasOf(facts);
    if (deltas.spend.size === 0 && deltas.purchases.size === 0) return undefined;
    await withoutJit(tx);
    const changes = await applyDeltas(tx, deltas, deps.clock.now());
    if (![...changes.viewers, ...changes.streamers].some((c) => c.level > c.before)) return undefined;
    return () => announceLevelUps(deps, changes, deltas.lastTip);
  },
  every: { seconds: 60, run: refreshLevels },
};
