import { userFollows, users } from '@app/db/schema';
import { and, count, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { loadPublicUsers, type PublicUser } from '../identity/user-views.ts';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { invalid, notFound } from '../kernel/errors.ts';

export const FOLLOW_LIMITS = { pageMax: 100, pageDefault: 30, cursorMax: 200 } as const;

export const followInput = z.object({ userId: z.uuid('That is not a user id.') }).strict();
export type FollowInput = z.infer<typeof followInput>;

export const followListInput = z
  .object({
    userId: z.uuid('That is not a user id.'),
    cursor: z.string().max(FOLLOW_LIMITS.cursorMax, 'That page cursor is not valid.').nullish(),
    limit: z.number().int().min(1).max(FOLLOW_LIMITS.pageMax).default(FOLLOW_LIMITS.pageDefault),
  })
  .strict();
export type FollowListInput = z.infer<typeof followListInput>;

export type FollowState = { userId: string; following: boolean; followerCount: number };
export type FollowPage = { items: (PublicUser & { followedAt: Date })[]; nextCursor: string | null };

async function followerCount(deps: CoreDeps, userId: string): Promise<number> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(userFollows)
    .where(eq(userFollows.followeeId, userId));
  return Number(row?.n ?? 0);
}

/** Follows a user (notifications on by default); following twice changes nothing. */
export async function followUser(
  deps: CoreDeps,
  followerId: string,
  input: FollowInput,
): Promise<FollowState> {
  if (input.userId === followerId) throw invalid('userId', 'You cannot follow yourself.');
  const [target] = await deps.db
    .select({ bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!target || target.bannedAt) throw notFound('That user');
  await deps.db
    .insert(userFollows)
    .values({ followerId, followeeId: input.userId, createdAt: deps.clock.now() })
    .onConflictDoNothing();
  return { userId: input.userId, following: true, followerCount: await followerCount(deps, input.userId) };
}

/** Unfollows; unfollowing someone not followed changes nothing. */
export async function unfollowUser(
  deps: CoreDeps,
  followerId: string,
  input: FollowInput,
): Promise<FollowState> {
  await deps.db
    .delete(userFollows)
    .where(and(eq(userFollows.followerId, followerId), eq(userFollows.followeeId, input.userId)));
  return { userId: input.userId, following: false, followerCount: await followerCount(deps, input.userId) };
}

/** Who follows the user (`side: 'followers'`) or whom the user follows (`'following'`), newest first. */
async function followPage(
  deps: CoreDeps,
  input: FollowListInput,
  side: 'followers' | 'following',
): Promise<FollowPage> {
  // Each side pages along its own index: user_follows_followee_id_created_at_idx or ..._follower_id_....
  const [self, other] =
    side === 'followers'
      ? [userFollows.followeeId, userFollows.followerId]
      : [userFollows.followerId, userFollows.followeeId];
  let after: SQL | undefined;
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, ['string', 'string'] as const);
    checkCursorParts({ uuid: [id], timestamp: [createdAt] });
    after = sql`(${userFollows.createdAt}, ${other}) < (${createdAt}::timestamptz, ${id}::uuid)`;
  }
  const rows = await deps.db
    .select({
      id: other,
      createdAt: userFollows.createdAt,
      cursorTime: sql<string>`${userFollows.createdAt}::text`,
    })
    .from(userFollows)
    .where(and(eq(self, input.userId), after))
    .orderBy(sql`${userFollows.createdAt} DESC NULLS LAST`, sql`${other} DESC`)
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const views = await loadPublicUsers(
    deps.db,
    page.map((row) => row.id),
  );
  const followedAt = new Map(page.map((row) => [row.id, row.createdAt]));
  const last = page.at(-1);
  return {
    items: views.map((view) => ({ ...view, followedAt: followedAt.get(view.id)! })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.cursorTime, last.id]) : null,
  };
}

export const listFollowers = (deps: CoreDeps, input: FollowListInput) => followPage(deps, input, 'followers');
export const listFollowing = (deps: CoreDeps, input: FollowListInput) => followPage(deps, input, 'following');

/** Whether `followerId` follows `followeeId` (false for visitors who are not signed in). */
export async function isFollowing(
  deps: CoreDeps,
  followerId: string | null,
  followeeId: string,
): Promise<boolean> {
  if (!followerId || followerId === followeeId) return false;
  const [row] = await deps.db
    .select({ followerId: userFollows.followerId })
    .from(userFollows)
    .where(and(eq(userFollows.followerId, followerId), eq(userFollows.followeeId, followeeId)));
  return Boolean(row);
}
