import { userLevels, users } from '@app/db/schema';
import { eq, inArray } from 'drizzle-orm';
import { announceReadsChanged } from '../../events/reads.ts';
import type { League } from '../../events/room.ts';
import { type CoreDeps, cachedRead } from '../../kernel/deps.ts';
import { leagueOf } from '../levels.ts';
import { bucketFor } from './keys.ts';
import { readRedis, readRollup, type Scored } from './read-stores.ts';
import { type LeaderboardInput, resolveScope } from './scope.ts';

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
 * Redis and in the rollup alike. The top with its people is the same for everyone, so it is shared for a moment
 * and forgotten when the boards move (`cachedRead`); the caller's own place is read every time.
 */
export async function readLeaderboard(
  deps: CoreDeps,
  viewerId: string | null,
  input: LeaderboardInput,
): Promise<BoardView> {
  const scope = await resolveScope(deps, input.board, input.scope);
  const bucket = bucketFor(input.period, deps.clock.now());
  const relative = `${input.board}:${scope}:${bucket}`;
  const read = (limit: number | null, viewer: string | null) =>
    deps.redis
      ? readRedis(deps.redis, relative, limit, viewer)
      : readRollup(deps, { board: input.board, scope, bucket }, limit, viewer);
  const { entries, lastScore } = await cachedRead(
    deps,
    `boards:${relative}#${input.limit}`,
    ['boards'],
    async () => {
      const { top, lastScore } = await read(input.limit, null);
      return { entries: await withUsers(deps, top ?? []), lastScore };
    },
  );
  if (!viewerId) return { entries, me: null };
  const { own } = await read(null, viewerId);
  if (own.score === null || own.rank === null) {
    const full = entries.length >= input.limit;
    return { entries, me: { rank: null, score: own.score ?? 0, toPass: full ? (lastScore ?? 0) + 1 : 1 } };
  }
  return {
    entries,
    me: { rank: own.rank, score: own.score, toPass: own.above === null ? null : own.above - own.score + 1 },
  };
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
  // The boards show them (or "Anonymous") from now on, on every node.
  await announceReadsChanged(deps, ['boards']);
  return { hidden };
}
