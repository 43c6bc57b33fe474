import { leaderboardRollups, userLevels, users } from '@app/db/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { League } from '../../events/room.ts';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import { type Board, bucketFor } from './keys.ts';
import { luaScript, runScript } from './lua.ts';
import { type LeaderboardInput, resolveScope } from './scope.ts';

/** How long a board's top is served from memory; the caller's own rank is always read fresh. */
export const BOARD_TOP_CACHE_MS = 1_000;
/** Without Redis, an own rank is counted exactly within this many places (null beyond). */
export const ROLLUP_RANK_LIMIT = 10_000;

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

type Scored = { member: string; score: number };
type Own = { rank: number | null; score: number | null; above: number | null };

export function leagueOf(level: number): League {
  if (level >= 100) return 'legend';
  if (level >= 80) return 'royal';
  if (level >= 55) return 'diamond';
  if (level >= 35) return 'gold';
  if (level >= 20) return 'silver';
  if (level >= 10) return 'bronze';
  return 'grey';
}

/**
 * A board as its page shows it. Ties in score rank the greater member id first (Redis's ZREVRANGE order), in
 * Redis and in the rollup alike.
 */
export async function readLeaderboard(
  deps: CoreDeps,
  viewerId: string | null,
  input: LeaderboardInput,
): Promise<BoardView> {
  const scope = await resolveScope(deps, input.board, input.scope);
  const relative = `${input.board}:${scope}:${bucketFor(input.period, deps.clock.now())}`;
  const { top, own, lastScore } = deps.redis
    ? await fromRedis(deps.redis, relative, input.limit, viewerId)
    : await fromRollup(deps, input.board, scope, relative, input.limit, viewerId);
  const entries = await withUsers(deps, top);
  if (!viewerId) return { entries, me: null };
  if (own.score === null || own.rank === null) {
    const full = top.length >= input.limit;
    return { entries, me: { rank: null, score: own.score ?? 0, toPass: full ? (lastScore ?? 0) + 1 : 1 } };
  }
  return {
    entries,
    me: { rank: own.rank, score: own.score, toPass: own.above === null ? null : own.above - own.score + 1 },
  };
}

const topCache = new Map<string, { at: number; top: Scored[]; lastScore: number | null }>();
/** Bounds the cache: keys are board × scope × bucket × limit, a few thousand in practice. */
const TOP_CACHE_MAX = 20_000;

function cachedTop(key: string) {
  const hit = topCache.get(key);
  return hit && Date.now() - hit.at < BOARD_TOP_CACHE_MS ? hit : null;
}

function remember(key: string, top: Scored[], lastScore: number | null) {
  if (topCache.size >= TOP_CACHE_MAX) topCache.clear();
  topCache.set(key, { at: Date.now(), top, lastScore });
}

/** Forgets cached tops (tests that read, tip and read again within a second). */
export function forgetBoardCache(): void {
  topCache.clear();
}

// One round trip: the top (unless cached), the caller's rank and score, and the score of the one just above.
const READ = luaScript(`
local n = tonumber(ARGV[1])
local me = ARGV[2]
local top = {}
local last = ''
if n > 0 then
  top = redis.call('ZREVRANGE', KEYS[1], 0, n - 1, 'WITHSCORES')
  if #top >= 2 * n then last = top[#top] end
end
local rank, score, above = '', '', ''
if me ~= '' then
  local r = redis.call('ZREVRANK', KEYS[1], me)
  if r then
    rank = r
    score = redis.call('ZSCORE', KEYS[1], me)
    if r > 0 then above = redis.call('ZREVRANGE', KEYS[1], r - 1, r - 1, 'WITHSCORES')[2] end
  end
end
return {top, last, tostring(rank), score, above}`);

async function fromRedis(redis: ProjectionRedis, relative: string, limit: number, viewerId: string | null) {
  const key = `${redis.prefix}lb:${relative}`;
  const cacheKey = `${key}#${limit}`;
  const hit = cachedTop(cacheKey);
  const reply = (await runScript(redis.client, READ, [key], [hit ? 0 : limit, viewerId ?? ''])) as [
    string[],
    string,
    string,
    string,
    string,
  ];
  const [flat, last, rank, score, above] = reply;
  let top: Scored[];
  let lastScore: number | null;
  if (hit) {
    top = hit.top;
    lastScore = hit.lastScore;
  } else {
    top = [];
    for (let i = 0; i + 1 < flat.length; i += 2) top.push({ member: flat[i]!, score: Number(flat[i + 1]) });
    lastScore = last === '' ? null : Number(last);
    remember(cacheKey, top, lastScore);
  }
  const own: Own = {
    rank: rank === '' ? null : Number(rank) + 1,
    score: score === '' ? null : Number(score),
    above: above === '' ? null : Number(above),
  };
  return { top, own, lastScore };
}

async function fromRollup(
  deps: CoreDeps,
  board: Board,
  scope: string,
  relative: string,
  limit: number,
  viewerId: string | null,
) {
  const bucket = relative.slice(board.length + scope.length + 2);
  const cacheKey = `rollup:${relative}#${limit}`;
  const hit = cachedTop(cacheKey);
  const where = and(
    eq(leaderboardRollups.board, board),
    eq(leaderboardRollups.scope, scope),
    eq(leaderboardRollups.bucket, bucket),
  );
  let top: Scored[];
  let lastScore: number | null;
  if (hit) {
    top = hit.top;
    lastScore = hit.lastScore;
  } else {
    top = await deps.db
      .select({ member: leaderboardRollups.member, score: leaderboardRollups.score })
      .from(leaderboardRollups)
      .where(where)
      .orderBy(sql`${leaderboardRollups.score} desc, ${leaderboardRollups.member} desc`)
      .limit(limit);
    top = top.map((row) => ({ member: row.member, score: Number(row.score) }));
    lastScore = top.length >= limit ? top.at(-1)!.score : null;
    remember(cacheKey, top, lastScore);
  }
  const own: Own = { rank: null, score: null, above: null };
  if (viewerId) {
    const [mine] = await deps.db
      .select({ score: leaderboardRollups.score })
      .from(leaderboardRollups)
      .where(and(where, eq(leaderboardRollups.member, viewerId)));
    if (mine) {
      own.score = Number(mine.score);
      const ahead = sql`${leaderboardRollups.score} > ${own.score} or (${leaderboardRollups.score} = ${own.score}
        and ${leaderboardRollups.member} > ${viewerId}::uuid)`;
      const [counted, next] = await Promise.all([
        deps.db.execute(sql`select count(*)::int as n from (select 1 from ${leaderboardRollups}
          where ${where} and (${ahead}) limit ${ROLLUP_RANK_LIMIT}) x`),
        deps.db
          .select({ score: leaderboardRollups.score })
          .from(leaderboardRollups)
          .where(and(where, sql`(${ahead})`))
          .orderBy(sql`${leaderboardRollups.score} asc, ${leaderboardRollups.member} asc`)
          .limit(1),
      ]);
      const n = Number((counted as unknown as { n: number }[])[0]?.n ?? 0);
      own.rank = n >= ROLLUP_RANK_LIMIT ? null : n + 1;
      own.above = next[0] ? Number(next[0].score) : null;
    }
  }
  return { top, own, lastScore };
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
