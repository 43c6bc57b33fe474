import type { Transaction } from '@app/db/client';
import { chatEventAppendMany } from '@app/db/engine';
import { messages } from '@app/db/schema';
import { and, eq, gte, isNull } from 'drizzle-orm';
import { publishToRoom, type RoomBusEvent } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import { writeLog } from './power.ts';

export type PurgeRequest = {
  actorId: string;
  stream: { id: string; streamerId: string };
  userId: string;
  reason: string;
  now: Date;
};

/**
 * Deletes the user's chat lines of the last `CHAT_LIMITS.purgeRecentSeconds` in one room, as a moderator's
 * delete would (`deleted_at`, a `chat.deleted` event each, so history, replays and every open chat drop them),
 * with one log entry naming them. Tip lines stay: they record a payment, and each can still be deleted alone.
 * Runs inside the caller's transaction; returns the events to publish once it commits.
 */
export async function purgeRecentMessages(
  deps: CoreDeps,
  tx: Transaction,
  request: PurgeRequest,
): Promise<RoomBusEvent[]> {
  const since = new Date(request.now.getTime() - CHAT_LIMITS.purgeRecentSeconds * 1000);
  const deleted = await tx
    .update(messages)
    .set({ deletedAt: request.now, deletedById: request.actorId })
    .where(
      and(
        eq(messages.senderId, request.userId),
        eq(messages.streamId, request.stream.id),
        eq(messages.kind, 'chat'),
        gte(messages.createdAt, since),
        isNull(messages.deletedAt),
      ),
    )
    .returning({ id: messages.id });
  if (deleted.length === 0) return [];
  const messageIds = deleted.map((row) => row.id).sort((a, b) => a - b);
  const events = messageIds.map((messageId) => ({
    type: 'chat.deleted' as const,
    streamId: request.stream.id,
    messageId,
  }));
  // Appended last: the room's lock is held from here to commit, so its other writers wait the least.
  const eventIds = await chatEventAppendMany(
    tx,
    events.map((event) => ({
      streamId: event.streamId,
      kind: 'delete',
      messageId: event.messageId,
      payload: event,
    })),
  );
  await writeLog(
    deps,
    {
      actorId: request.actorId,
      targetUserId: request.userId,
      channelId: request.stream.streamerId,
      streamId: request.stream.id,
      action: 'delete_message',
      reason: request.reason,
      metadata: { messageIds, recentSeconds: CHAT_LIMITS.purgeRecentSeconds },
    },
    tx,
  );
  return events.map((event, index) => ({ ...event, eventId: eventIds[index]! }));
}

/** Tells the room, after commit, which lines went. */
export async function publishPurge(deps: CoreDeps, streamId: string, events: readonly RoomBusEvent[]) {
  for (const event of events) await publishToRoom(deps.bus, streamId, event);
}
