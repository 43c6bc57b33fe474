import { rowsOf } from '@app/db/engine';
import { leaderboardRollups } from '@app/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import { luaScript, runScript } from './lua.ts';

/** Without Redis, an own rank is counted exactly within this many places (null beyond). */
export const ROLLUP_RANK_LIMIT = 10_000;

export type Scored = { member: string; score: number };
/** The caller's rank (1-based), score, and the score of the one just above them; nulls when off the board. */
export type Own = { rank: number | null; score: number | null; above: number | null };
/** `top` is null when it was not asked for (served from the cache); `lastScore` is the last shown place's. */
export type StoreRead = { top: Scored[] | null; lastScore: number | null; own: Own };

const NO_ONE: Own = { rank: null, score: null, above: null };

// One round trip: the top (when asked), the caller's rank and score, and the score of the one just above.
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
    rank = tostring(r)
    score = redis.call('ZSCORE', KEYS[1], me)
    if r > 0 then above = redis.call('ZREVRANGE', KEYS[1], r - 1, r - 1, 'WITHSCORES')[2] end
  end
end
return {top, last, rank, score, above}`);

export async function readRedis(
  redis: ProjectionRedis,
  relative: string,
  limit: number | null,
  viewerId: string | null,
): Promise<StoreRead> {
  if (limit === null && viewerId === null) return { top: null, lastScore: null, own: NO_ONE };
  const key = `${redis.prefix}lb:${relative}`;
  const [flat, last, rank, score, above] = (await runScript(
    redis.client,
    READ,
    [key],
    [limit ?? 0, viewerId ?? ''],
  )) as [string[], string, string, string, string];
  let top: Scored[] | null = null;
  if (limit !== null) {
    top = [];
    for (let i = 0; i + 1 < flat.length; i += 2) top.push({ member: flat[i]!, score: Number(flat[i + 1]) });
  }
  return {
    top,
    lastScore: last === '' ? null : Number(last),
    own: {
      rank: rank === '' ? null : Number(rank) + 1,
      score: score === '' ? null : Number(score),
      above: above === '' ? null : Number(above),
    },
  };
}

/** The same reads from the rollup: ties rank the greater member first, as Redis's ZREVRANGE does. */
export async function readRollup(
  deps: CoreDeps,
  key: { board: string; scope: string; bucket: string },
  limit: number | null,
  viewerId: string | null,
): Promise<StoreRead> {
  const where = and(
    eq(leaderboardRollups.board, key.board),
    eq(leaderboardRollups.scope, key.scope),
    eq(leaderboardRollups.bucket, key.bucket),
  );
  let top: Scored[] | null = null;
  let lastScore: number | null = null;
  if (limit !== null) {
    const rows = await deps.db
      .select({ member: leaderboardRollups.member, score: leaderboardRollups.score })
      .from(leaderboardRollups)
      .where(where)
      .orderBy(sql`${leaderboardRollups.score} desc, ${leaderboardRollups.member} desc`)
      .limit(limit);
    top = rows.map((row) => ({ member: row.member, score: Number(row.score) }));
    lastScore = top.length >= limit ? top.at(-1)!.score : null;
  }
  if (!viewerId) return { top, lastScore, own: NO_ONE };
  const [mine] = await deps.db
    .select({ score: leaderboardRollups.score })
    .from(leaderboardRollups)
    .where(and(where, eq(leaderboardRollups.member, viewerId)));
  if (!mine) return { top, lastScore, own: NO_ONE };
  const score = Number(mine.score);
  const ahead = sql`(${leaderboardRollups.score} > ${score} or (${leaderboardRollups.score} = ${score}
    and ${leaderboardRollups.member} > ${viewerId}::uuid))`;
  const [counted, next] = await Promise.all([
    deps.db.execute(sql`select count(*)::int as n from (select 1 from ${leaderboardRollups}
      where ${where} and ${ahead} limit ${ROLLUP_RANK_LIMIT}) x`),
    deps.db
      .select({ score: leaderboardRollups.score })
      .from(leaderboardRollups)
      .where(and(where, ahead))
      .orderBy(sql`${leaderboardRollups.score} asc, ${leaderboardRollups.member} asc`)
      .limit(1),
  ]);
  const n = Number(rowsOf<{ n: number }>(counted)[0]?.n ?? 0);
  return {
    top,
    lastScore,
    own: {
      rank: n >= ROLLUP_RANK_LIMIT ? null : n + 1,
      score,
      above: next[0] ? Number(next[0].score) : null,
    },
  };
}
