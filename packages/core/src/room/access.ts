import { channelBans, streams, users } from '@app/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { chatHistory } from '../chat/history.ts';
import type { ChatHistoryInput } from '../chat/schemas.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, notFound } from '../kernel/errors.ts';
import { builtOnce } from '../kernel/prepared.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { gateFor } from '../streams/views.ts';

/**
 * The one rule of a room: who may watch it, and who may put anything into it (chat, react, tip).
 *
 * | gate                               | watch (video, history, feed) | chat | react | tip, no note | tip, note |
 * | ---------------------------------- | ---------------------------- | ---- | ----- | ------------ | --------- |
 * | no such stream, banned streamer    | not found (hidden)           | no   | no    | no           | no        |
 * | draft                              | owner only                   | no   | no    | no           | no        |
 * | ended                              | yes (history)                | no   | no    | no           | no        |
 * | NSFW, visitor                      | no: sign in, verify age      | no   | no    | no           | no        |
 * | NSFW, not age-verified (any minor) | no: verify age               | no   | no    | no           | no        |
 * | banned from the channel            | no                           | no   | no    | no           | no        |
 * | timed out                          | yes                          | no   | no    | yes          | no        |
 * | chat mode, slow mode, repeat       | yes                          | no   | yes   | yes          | no        |
 * | chat rate limit                    | yes                          | no   | yes   | yes          | no        |
 *
 * Visitors (no session) may only watch. Age verification is granted only to users whose date of birth makes them
 * 18 or over (`identity/auth.ts`), so "age-verified" is the adult test everywhere. The streamer, the channel's moderators and platform staff are exempt from
 * the channel's own rules (bans, timeouts, chat mode), never from the room's gates (NSFW, banned streamer, live).
 * Watching is checked here; everything put into a room is checked inside the database function that stores it
 * (`packages/db/sql/room/room_admit.sql`, called by `chat_post`, `send_tip` and, for reactions, `roomAdmit`), so
 * a chat line stays one round trip and a refused tip moves no money. Its refusals are worded in
 * `chat/refusals.ts`.
 */

const streamAccess = builtOnce((db) =>
  db
    .select({
      id: streams.id,
      streamerId: streams.streamerId,
      status: streams.status,
      nsfw: streams.nsfw,
      settings: streams.settings,
      startedAt: streams.startedAt,
      endedAt: streams.endedAt,
      endedReason: streams.endedReason,
    })
    .from(streams)
    .innerJoin(users, and(eq(users.id, streams.streamerId), isNull(users.bannedAt)))
    .where(eq(streams.id, sql.placeholder('streamId')))
    .prepare('room_stream_access'),
);

const channelBan = builtOnce((db) =>
  db
    .select({ userId: channelBans.userId })
    .from(channelBans)
    .where(
      and(
        eq(channelBans.channelId, sql.placeholder('channelId')),
        eq(channelBans.userId, sql.placeholder('userId')),
        isNull(channelBans.expiresAt),
      ),
    )
    .prepare('room_channel_ban'),
);

/**
 * Who may watch a room and read its chat: drafts only their owner, adult streams gated, banned streamers hidden.
 * Every board, chat history and feed of a stream asks this, so its queries are built once.
 */
export async function readableStream(deps: CoreDeps, viewer: Viewer, streamId: string) {
  const [stream] = await streamAccess(deps.db).execute({ streamId });
  if (!stream || (stream.status === 'draft' && stream.streamerId !== viewer?.id))
    throw notFound('That stream');
  const gate = gateFor(viewer, stream.nsfw);
  if (gate === 'sign_in')
    throw forbidden('This stream is for adults. Sign in and verify your age to see its chat.');
  if (gate === 'verify_age') throw forbidden('This stream is for adults. Verify your age to see its chat.');
  if (viewer) {
    const [ban] = await channelBan(deps.db).execute({ channelId: stream.streamerId, userId: viewer.id });
    if (ban) throw forbidden('The streamer has banned you from their channel.');
  }
  return stream;
}

/** A page of a room's chat for someone who may see the stream. */
export async function roomChatHistory(deps: CoreDeps, viewer: Viewer, input: ChatHistoryInput) {
  return chatHistory(deps, await readableStream(deps, viewer, input.streamId), input);
}
