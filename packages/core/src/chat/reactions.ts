import { chatEventAppend } from '@app/db/engine';
import { channelBans, messageReactions, messages, streams } from '@app/db/schema';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { publishToRoom } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { formatDuration } from '../kernel/duration.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import { checkLimit } from '../kernel/throttle.ts';
import type { ReactInput } from './schemas.ts';

/**
 * Adds the caller's reaction to a message, or takes it back when it is already there. Users banned or timed out
 * in the room cannot react.
 */
export async function reactToMessage(
  deps: CoreDeps,
  userId: string,
  input: ReactInput,
): Promise<{ messageId: number; emoji: string; count: number; reacted: boolean }> {
  await checkLimit(deps.limiters.reactByUser, userId, (wait) => `You are reacting too fast. Wait ${wait}.`);
  const [target] = await deps.db
    .select({ streamId: messages.streamId, streamerId: streams.streamerId, status: streams.status })
    .from(messages)
    .innerJoin(streams, eq(streams.id, messages.streamId))
    .where(
      and(
        eq(messages.id, input.messageId),
        isNull(messages.deletedAt),
        or(eq(messages.kind, 'chat'), eq(messages.kind, 'tip')),
      ),
    );
  if (!target) throw notFound('That message');
  if (target.status !== 'live') {
    throw new DomainError('CONFLICT', 'This stream has ended; its chat is closed.', { reason: 'NOT_LIVE' });
  }
  const now = deps.clock.now();
  const [restricted] = await deps.db
    .select({ expiresAt: channelBans.expiresAt })
    .from(channelBans)
    .where(
      and(
        eq(channelBans.channelId, target.streamerId),
        eq(channelBans.userId, userId),
        or(isNull(channelBans.expiresAt), gt(channelBans.expiresAt, now)),
      ),
    );
  if (restricted) {
    throw forbidden(
      restricted.expiresAt
        ? `You are timed out in this chat for ${formatDuration((restricted.expiresAt.getTime() - now.getTime()) / 1000)} more.`
        : 'You are banned from this chat.',
    );
  }
  const streamId = target.streamId!;
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
