import { userLevels, users } from '@app/db/schema';
import { eq, inArray } from 'drizzle-orm';
import type { League } from '../../events/room.ts';
import type { CoreDeps } from '../../kernel/deps.ts';
import { leagueOf } from '../levels.ts';
import { bucketFor } from './keys.ts';
import { readRedis, readRollup, type Scored } from './read-stores.ts';
import { type LeaderboardInput, resolveScope } from './scope.ts';

/** How long a board's top is served from memory; the caller's own rank is always read fresh. */
export const BOARD_TOP_CACHE_MS = 1_000;

export type BoardUser = {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  level: number;
  league: League;
};
/** `user` is null for someone who hides from public boards: shown as "Anonymous", still counted and ranked. */
export type BoardEntry = { rank: number; score: number; user: BoardUser | null };
/**
 * The caller's own place: `toPass` is the tokens to pass the one just above (null at rank 1); without a score,
 * rank is null and `toPass` is the tokens to enter the shown list.
 */
export type BoardMe = { rank: number | null; score: number; toPass: number | null };
export type BoardView = { entries: BoardEntry[]; me: BoardMe | null };

/**
 * A board as its page shows it. Ties in score rank the greater member id first (Redis's ZREVRANGE order), in
 * Redis and in the rollup alike. The top with its people is kept in memory for about a second; the caller's own
 * place is read every time.
 */
export async function readLeaderboard(
  deps: CoreDeps,
  viewerId: string | null,
  input: LeaderboardInput,
): Promise<BoardView> {
  const scope = await resolveScope(deps, input.board, input.scope);
  const bucket = bucketFor(input.period, deps.clock.now());
  const relative = `${input.board}:${scope}:${bucket}`;
  const cacheKey = `${deps.redis?.prefix ?? ''}${relative}#${input.limit}`;
  const hit = cachedTop(deps, cacheKey);
  const limit = hit ? null : input.limit;
  const read = deps.redis
    ? await readRedis(deps.redis, relative, limit, viewerId)
    : await readRollup(deps, { board: input.board, scope, bucket }, limit, viewerId);
  const top = hit ?? { entries: await withUsers(deps, read.top ?? []), lastScore: read.lastScore };
  if (!hit) remember(deps, cacheKey, top);
  const { entries, lastScore } = top;
  if (!viewerId) return { entries, me: null };
  const own = read.own;
  if (own.score === null || own.rank === null) {
    const full = entries.length >= input.limit;
    return { entries, me: { rank: null, score: own.score ?? 0, toPass: full ? (lastScore ?? 0) + 1 : 1 } };
  }
  return {
    entries,
    me: { rank: own.rank, score: own.score, toPass: own.above === null ? null : own.above - own.score + 1 },
  };
}

type CachedTop = { at: number; entries: BoardEntry[]; lastScore: number | null };
/** Per database (tests run several in one process): board × scope × bucket × limit → its top. */
const topCaches = new Map<object, Map<string, CachedTop>>();
/** Bounds each cache: a few thousand keys in practice. */
const TOP_CACHE_MAX = 20_000;

function cachedTop(deps: CoreDeps, key: string): CachedTop | null {
  const hit = topCaches.get(deps.db)?.get(key);
  return hit && Date.now() - hit.at < BOARD_TOP_CACHE_MS ? hit : null;
}

function remember(deps: CoreDeps, key: string, top: { entries: BoardEntry[]; lastScore: number | null }) {
  let cache = topCaches.get(deps.db);
  if (!cache) {
    cache = new Map();
    topCaches.set(deps.db, cache);
  }
  if (cache.size >= TOP_CACHE_MAX) cache.clear();
  cache.set(key, { at: Date.now(), ...top });
}

/** Forgets cached tops (tests that read, tip and read again within a second). */
export function forgetBoardCache(): void {
  topCaches.clear();
}

async function withUsers(deps: CoreDeps, top: Scored[]): Promise<BoardEntry[]> {
  if (top.length === 0) return [];
  const rows = await deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarUrl: users.avatarUrl,
      level: userLevels.level,
      hidden: userLevels.hiddenFromBoards,
    })
    .from(users)
    .leftJoin(userLevels, eq(userLevels.userId, users.id))
    .where(
      inArray(
        users.id,
        top.map((row) => row.member),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return top.map((row, index) => {
    const found = byId.get(row.member);
    const level = found?.level ?? 1;
    const user: BoardUser | null =
      !found || found.hidden
        ? null
        : {
            id: found.id,
            username: found.username,
            displayName: found.displayName,
            avatarUrl: found.avatarUrl,
            level,
            league: leagueOf(level),
          };
    return { rank: index + 1, score: row.score, user };
  });
}

/** Hides the user from public boards (shown as "Anonymous", still counted) or shows them again. */
export async function setBoardVisibility(deps: CoreDeps, userId: string, hidden: boolean) {
  await deps.db
    .insert(userLevels)
    .values({ userId, hiddenFromBoards: hidden })
    .onConflictDoUpdate({
      target: userLevels.userId,
      set: { hiddenFromBoards: hidden, updatedAt: new Date() },
    });
  return { hidden };
}
