import { type AnyEngineRefusal, chatEventAppend, EngineRefusal, roomAdmit } from '@app/db/engine';
import { messageReactions, messages } from '@app/db/schema';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { publishToRoom } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notFound } from '../kernel/errors.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import { checkLimit } from '../kernel/throttle.ts';
import { chatRefusal } from './refusals.ts';
import type { ReactInput } from './schemas.ts';

/**
 * Adds the caller's reaction to a message, or takes it back when it is already there. Reacting passes the room's
 * rule like chat: a live stream of a streamer in good standing, age-verified users only in an NSFW stream, and
 * nobody banned or timed out in the channel.
 */
export async function reactToMessage(
  deps: CoreDeps,
  userId: string,
  input: ReactInput,
): Promise<{ messageId: number; emoji: string; count: number; reacted: boolean }> {
  await checkLimit(deps.limiters.reactByUser, userId, (wait) => `You are reacting too fast. Wait ${wait}.`);
  const [target] = await deps.db
    .select({ streamId: messages.streamId })
    .from(messages)
    .where(
      and(
        eq(messages.id, input.messageId),
        isNull(messages.deletedAt),
        or(eq(messages.kind, 'chat'), eq(messages.kind, 'tip')),
      ),
    );
  if (!target?.streamId) throw notFound('That message');
  // The room's rule for reacting (packages/db/sql/room/room_admit.sql): the room's gates, channel bans, timeouts.
  const now = deps.clock.now();
  await roomAdmit(deps.db, {
    streamId: target.streamId,
    userId,
    capability: 'react',
    body: null,
    now,
    duplicateSeconds: CHAT_LIMITS.duplicateSeconds,
  }).catch((error: unknown) => {
    throw error instanceof EngineRefusal ? chatRefusal(error as AnyEngineRefusal, now) : error;
  });
  const streamId = target.streamId;
  const outcome = await deps.db.transaction(async (tx) => {
    const added = await tx
      .insert(messageReactions)
      .values({ messageId: input.messageId, userId, emoji: input.emoji })
      .onConflictDoNothing()
      .returning({ messageId: messageReactions.messageId });
    if (added.length === 0) {
      await tx
        .delete(messageReactions)
        .where(
          and(
            eq(messageReactions.messageId, input.messageId),
            eq(messageReactions.userId, userId),
            eq(messageReactions.emoji, input.emoji),
          ),
        );
    }
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(messageReactions)
      .where(and(eq(messageReactions.messageId, input.messageId), eq(messageReactions.emoji, input.emoji)));
    const payload = {
      type: 'chat.reaction' as const,
      streamId,
      messageId: input.messageId,
      emoji: input.emoji,
      count,
    };
    const eventId = await chatEventAppend(tx, {
      streamId,
      kind: 'reaction',
      messageId: input.messageId,
      payload,
    });
    return { payload, eventId, reacted: added.length > 0 };
  });
  await publishToRoom(deps.bus, streamId, { ...outcome.payload, eventId: outcome.eventId });
  return {
    messageId: input.messageId,
    emoji: input.emoji,
    count: outcome.payload.count,
    reacted: outcome.reacted,
  };
}
