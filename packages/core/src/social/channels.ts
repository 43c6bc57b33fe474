import { streams, userFollows, users } from '@app/db/schema';
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { loadPublicUsers, type PublicUser } from '../identity/user-views.ts';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { type StreamCard, streamCardQuery, toCards } from '../streams/views.ts';
import { FOLLOW_LIMITS } from './follows.ts';

export const followedChannelsInput = z
  .object({
    cursor: z.string().max(FOLLOW_LIMITS.cursorMax, 'That page cursor is not valid.').nullish(),
    limit: z.number().int().min(1).max(FOLLOW_LIMITS.pageMax).default(FOLLOW_LIMITS.pageDefault),
  })
  .strict();
export type FollowedChannelsInput = z.infer<typeof followedChannelsInput>;

/** A channel the viewer follows, with the stream it is live on now (null when offline). */
export type FollowedChannel = { user: PublicUser; followedAt: Date; stream: StreamCard | null };
export type FollowedChannelPage = { items: FollowedChannel[]; nextCursor: string | null };

/**
 * The channels `viewer` follows: live ones first (the most recently started first), then the rest (the most
 * recently followed first), in pages. The sort key is (live, time, id): live streams come before offline ones on
 * every page, and a cursor names where the last page stopped in that order. A person's follows are read in full
 * to sort them (one index range of user_follows_follower_id_created_at_idx, each with at most one open stream).
 */
export async function followedChannels(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: FollowedChannelsInput,
): Promise<FollowedChannelPage> {
  const live = sql<number>`(${streams.id} IS NOT NULL)::int`;
  const time = sql`coalesce(${streams.startedAt}, ${userFollows.createdAt})`;
  let after: SQL | undefined;
  if (input.cursor) {
    const [isLive, at, id] = decodeCursor(input.cursor, ['number', 'string', 'string'] as const);
    checkCursorParts({ uuid: [id], timestamp: [at] });
    after = sql`(${live}, ${time}, ${userFollows.followeeId}) < (${isLive}::int, ${at}::timestamptz, ${id}::uuid)`;
  }
  const rows = await deps.db
    .select({
      userId: userFollows.followeeId,
      followedAt: userFollows.createdAt,
      streamId: streams.id,
      live,
      cursorTime: sql<string>`${time}::text`,
    })
    .from(userFollows)
    .innerJoin(users, and(eq(users.id, userFollows.followeeId), isNull(users.bannedAt)))
    .leftJoin(streams, and(eq(streams.streamerId, userFollows.followeeId), eq(streams.status, 'live')))
    .where(and(eq(userFollows.followerId, viewer.id), after))
    .orderBy(sql`${live} DESC`, sql`${time} DESC`, sql`${userFollows.followeeId} DESC`)
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const liveIds = page.flatMap((row) => (row.streamId ? [row.streamId] : []));
  const [people, cards] = await Promise.all([
    loadPublicUsers(
      deps.db,
      page.map((row) => row.userId),
    ),
    liveIds.length > 0
      ? streamCardQuery(deps.db)
          .where(inArray(streams.id, liveIds))
          .then((cardRows) => toCards(deps.db, cardRows, viewer, deps.clock.now()))
      : Promise.resolve([]),
  ]);
  const personById = new Map(people.map((person) => [person.id, person]));
  const cardById = new Map(cards.map((card) => [card.id, card]));
  const last = page.at(-1);
  return {
    items: page.flatMap((row) => {
      const user = personById.get(row.userId);
      if (!user) return [];
      return [
        {
          user,
          followedAt: row.followedAt,
          stream: row.streamId ? (cardById.get(row.streamId) ?? null) : null,
        },
      ];
    }),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor([Number(last.live), last.cursorTime, last.userId])
        : null,
  };
}
