import { rowsOf } from '@app/db/engine';
import { notifications, type Stream, userFollows, users } from '@app/db/schema';
import { eq, sql } from 'drizzle-orm';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notMuted, payloadSql } from './notify.ts';
import type { NotificationPayload, NotificationPerson } from './views.ts';

/**
 * Followers told when a streamer goes live, newest followers first. One INSERT … SELECT stores them all; past this
 * cap the rest are not told (a streamer that large needs a queue that fans out in the background).
 */
export const GO_LIVE_NOTIFY_MAX = 100_000;
/** Live events published at once while telling the followers' open tabs. */
export const GO_LIVE_PUBLISH_BATCH = 500;

export function goLivePayload(stream: Stream, streamer: NotificationPerson): NotificationPayload {
  return {
    title: `${streamer.displayName} is live`,
    // One payload serves every follower: an adults-only stream's title is not shown to those who may not watch it.
    body: stream.nsfw ? 'An adults-only stream' : stream.title,
    link: `/live/${stream.id}`,
    streamId: stream.id,
    nsfw: stream.nsfw,
    streamer,
    startedAt: stream.startedAt?.toISOString() ?? null,
  };
}

/**
 * Stores a `stream.live` notification for every follower who wants one (follow notifications on, the kind not
 * muted, not banned) in one statement, then tells their open tabs in batches. Returns how many were told.
 */
export async function notifyFollowersLive(deps: CoreDeps, stream: Stream): Promise<number> {
  const [streamer] = await deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarUrl: users.avatarUrl,
    })
    .from(users)
    .where(eq(users.id, stream.streamerId));
  if (!streamer) return 0;
  const payload = goLivePayload(stream, streamer);
  const now = deps.clock.now();
  // One INSERT … SELECT: the newest followers first along user_follows_followee_id_created_at_idx, up to the cap.
  const rows = rowsOf<{ id: number | string; userId: string }>(
    await deps.db.execute(sql`
      INSERT INTO ${notifications} (user_id, kind, payload, created_at)
      SELECT ${userFollows.followerId}, 'stream.live', ${payloadSql(payload)}, ${now.toISOString()}::timestamptz
      FROM ${userFollows}
      JOIN ${users} ON ${users.id} = ${userFollows.followerId} AND ${users.bannedAt} IS NULL
      WHERE ${userFollows.followeeId} = ${stream.streamerId}::uuid
        AND ${userFollows.notify}
        AND ${notMuted(userFollows.followerId, 'stream.live')}
      ORDER BY ${userFollows.createdAt} DESC
      LIMIT ${GO_LIVE_NOTIFY_MAX}
      RETURNING id, user_id AS "userId"`),
  );
  for (let start = 0; start < rows.length; start += GO_LIVE_PUBLISH_BATCH) {
    await Promise.all(
      rows.slice(start, start + GO_LIVE_PUBLISH_BATCH).map((row) =>
        publishToUser(deps.bus, row.userId, {
          type: 'notification',
          notification: {
            id: Number(row.id),
            kind: 'stream.live',
            payload,
            createdAt: now.toISOString(),
            readAt: null,
          },
        }),
      ),
    );
  }
  return rows.length;
}
