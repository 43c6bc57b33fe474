import type { Executor } from '@app/db/client';
import { announceReadsChanged } from '../../events/reads.ts';
import type { CoreDeps } from '../../kernel/deps.ts';
import { type Fact, isTipFact, type TipFact } from '../facts.ts';
import { crownedRooms, refreshKings } from '../kings.ts';
import type { Projection, ProjectorState, Send } from '../projector.ts';
import { rebuildBoards } from './rebuild.ts';
import { applyToRedis, hasWatermark, holdsBoards } from './redis-store.ts';
import { userRegions } from './regions.ts';
import { applyToRollup } from './rollup-store.ts';

/** How often crowns are looked at again: one lapses 12 hours after its last tip, with no tip to tell. */
export const KING_RECHECK_SECONDS = 60;

function regionsFor(deps: CoreDeps, db: Executor, facts: readonly TipFact[]) {
  return userRegions(
    deps.db,
    db,
    facts.flatMap((fact) => [fact.tipperId, fact.streamerId]),
  );
}

/**
 * Redis's boards: rebuilt first when Redis lost them (or holds another epoch's); the pass itself is one script call,
 * sent while the projector's transaction applies the other projections. Should Redis lose the boards in between,
 * the script refuses, the pass fails, and the next one rebuilds.
 */
async function outside(deps: CoreDeps, facts: Fact[], next: ProjectorState): Promise<Send | undefined> {
  const redis = deps.redis;
  if (!redis) return undefined;
  if (!(await holdsBoards(redis, next.epoch))) await rebuildBoards(deps);
  const tips = facts.filter(isTipFact);
  const regions = await regionsFor(deps, deps.db, tips);
  return async () => {
    await applyToRedis(redis, tips, next, regions);
  };
}

/**
 * Leaderboards and kings. With Redis the boards move in `outside` (exactly once by its own watermark); without it
 * the rollup moves here, in the projector's transaction. Either way the touched rooms' kings are recomputed and a
 * change of crown announced after commit.
 */
export const boardsProjection: Projection = {
  name: 'boards',
  outside,
  apply: async (deps, tx, facts) => {
    const tips = facts.filter(isTipFact);
    if (tips.length === 0) return undefined;
    if (!deps.redis) await applyToRollup(tx, tips, await regionsFor(deps, tx, tips));
    const rooms = new Map<string, string>();
    for (const tip of tips) rooms.set(tip.streamerId, tip.streamId);
    const kings = await refreshKings(deps, tx, rooms);
    return async () => {
      await kings?.();
      // The boards moved: every node's cached tops are stale now.
      await announceReadsChanged(deps, ['boards']);
    };
  },
  every: {
    seconds: KING_RECHECK_SECONDS,
    run: async (deps) => {
      if (deps.redis && !(await hasWatermark(deps.redis))) await rebuildBoards(deps);
      const then = await deps.db.transaction(async (tx) => refreshKings(deps, tx, await crownedRooms(tx)));
      await then?.();
    },
  },
};
