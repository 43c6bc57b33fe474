import { chatEventAppend } from '@app/db/engine';
import { channelBans, messages, streams } from '@app/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import { publishToRoom, settingsEvent } from '../events/room.ts';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import type { Actor } from '../kernel/viewer.ts';
import { notifyModerationAction } from '../notifications/decisions.ts';
import { checkTarget, moderatedStream, writeLog } from './power.ts';
import { publishPurge, purgeRecentMessages } from './purge.ts';
import type {
  ChatModeInput,
  DeleteMessageInput,
  RoomBanInput,
  RoomUnbanInput,
  TimeoutInput,
} from './schemas.ts';

/** Removes a chat message for everyone, now and for anyone who joins or resumes later. */
export async function deleteChatMessage(deps: CoreDeps, actor: Actor, input: DeleteMessageInput) {
  const [message] = await deps.db
    .select({
      id: messages.id,
      streamId: messages.streamId,
      senderId: messages.senderId,
      kind: messages.kind,
    })
    .from(messages)
    .where(eq(messages.id, input.messageId));
  if (!message?.streamId || message.kind === 'whisper') throw notFound('That message');
  const { stream } = await moderatedStream(deps, actor, message.streamId);
  const now = deps.clock.now();
  const event = { type: 'chat.deleted' as const, streamId: stream.id, messageId: message.id };
  const eventId = await deps.db.transaction(async (tx) => {
    const deleted = await tx
      .update(messages)
      .set({ deletedAt: now, deletedById: actor.id })
      .where(and(eq(messages.id, message.id), sql`${messages.deletedAt} is null`))
      .returning({ id: messages.id });
    if (deleted.length === 0) return null;
    const eventId = await chatEventAppend(tx, {
      streamId: stream.id,
      kind: 'delete',
      messageId: message.id,
      payload: event,
    });
    await writeLog(
      deps,
      {
        actorId: actor.id,
        targetUserId: message.senderId,
        channelId: stream.streamerId,
        streamId: stream.id,
        messageId: message.id,
        action: 'delete_message',
        reason: input.reason || null,
      },
      tx,
    );
    return eventId;
  });
  if (eventId !== null) await publishToRoom(deps.bus, stream.id, { ...event, eventId });
  return { messageId: message.id, deleted: true };
}

/**
 * A timeout (`seconds` set) or a ban (null) in the stream's channel: written with its log entry in one
 * transaction, then told to the user's open connections (a ban ends their subscriptions to the channel). With
 * `removeRecent`, the user's recent lines in the stream go in the same transaction, and the room hears of it.
 */
async function restrict(
  deps: CoreDeps,
  actor: Actor,
  input: {
    streamId: string;
    userId: string;
    reason: string;
    seconds: number | null;
    removeRecent?: boolean | undefined;
  },
) {
  const { stream, power } = await moderatedStream(deps, actor, input.streamId);
  await checkTarget(deps, actor, power, stream.streamerId, input.userId);
  const now = deps.clock.now();
  const until = input.seconds === null ? null : new Date(now.getTime() + input.seconds * 1000);
  const removed = await deps.db.transaction(async (tx) => {
    if (until) {
      const [existing] = await tx
        .select({ expiresAt: channelBans.expiresAt })
        .from(channelBans)
        .where(and(eq(channelBans.channelId, stream.streamerId), eq(channelBans.userId, input.userId)))
        .for('update');
      if (existing && existing.expiresAt === null) {
        throw new DomainError('CONFLICT', 'That user is banned from this channel; unban them first.');
      }
    }
    const restriction = { reason: input.reason, expiresAt: until, createdById: actor.id, createdAt: now };
    await tx
      .insert(channelBans)
      .values({ channelId: stream.streamerId, userId: input.userId, ...restriction })
      .onConflictDoUpdate({ target: [channelBans.channelId, channelBans.userId], set: restriction });
    await writeLog(
      deps,
      {
        actorId: actor.id,
        targetUserId: input.userId,
        channelId: stream.streamerId,
        streamId: stream.id,
        action: until ? 'timeout' : 'ban',
        reason: input.reason,
        durationSeconds: input.seconds,
      },
      tx,
    );
    if (!input.removeRecent) return [];
    return purgeRecentMessages(deps, tx, {
      actorId: actor.id,
      stream,
      userId: input.userId,
      reason: input.reason,
      now,
    });
  });
  await publishPurge(deps, stream.id, removed);
  await publishToUser(deps.bus, input.userId, {
    type: 'chat.restricted',
    channelId: stream.streamerId,
    streamId: stream.id,
    until: until?.toISOString() ?? null,
    reason: input.reason,
  });
  await notifyModerationAction(deps, {
    userId: input.userId,
    action: until ? 'timeout' : 'ban',
    channelId: stream.streamerId,
    streamId: stream.id,
    until,
    reason: input.reason,
  });
  return { until, removedMessages: removed.length };
}

/** Silences a user in the channel for a while; a ban already in place is kept. */
export async function timeoutUser(deps: CoreDeps, actor: Actor, input: TimeoutInput) {
  const { until, removedMessages } = await restrict(deps, actor, input);
  return { userId: input.userId, until: until!, removedMessages };
}

/** Bans a user from the channel until lifted: no chat, no watching; their open subscriptions end at once. */
export async function banFromChannel(deps: CoreDeps, actor: Actor, input: RoomBanInput) {
  const { removedMessages } = await restrict(deps, actor, { ...input, seconds: null });
  return { userId: input.userId, banned: true, removedMessages };
}

/** Lifts a ban or a timeout in the channel. */
export async function unbanFromChannel(deps: CoreDeps, actor: Actor, input: RoomUnbanInput) {
  const { stream, power } = await moderatedStream(deps, actor, input.streamId);
  await checkTarget(deps, actor, power, stream.streamerId, input.userId);
  await deps.db.transaction(async (tx) => {
    const lifted = await tx
      .delete(channelBans)
      .where(and(eq(channelBans.channelId, stream.streamerId), eq(channelBans.userId, input.userId)))
      .returning({ userId: channelBans.userId });
    if (lifted.length === 0) {
      throw new DomainError('CONFLICT', 'That user is neither banned nor timed out in this channel.');
    }
    await writeLog(
      deps,
      {
        actorId: actor.id,
        targetUserId: input.userId,
        channelId: stream.streamerId,
        streamId: stream.id,
        action: 'unban',
        reason: input.reason || null,
      },
      tx,
    );
  });
  return { userId: input.userId, banned: false };
}

/** Chat mode (everyone, followers, verified), slow mode and links; viewers see the change at once. */
export async function setChatMode(deps: CoreDeps, actor: Actor, input: ChatModeInput) {
  const { stream } = await moderatedStream(deps, actor, input.streamId);
  const patch = Object.fromEntries(
    Object.entries({
      chatMode: input.chatMode,
      slowModeSeconds: input.slowModeSeconds,
      linksAllowed: input.linksAllowed,
    }).filter(([, value]) => value !== undefined),
  );
  // The settings and their log entry commit together: a change is never in force without its record.
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(streams)
      .set({ settings: sql`${streams.settings} || ${JSON.stringify(patch)}::text::jsonb` })
      .where(eq(streams.id, stream.id))
      .returning({ settings: streams.settings });
    await writeLog(
      deps,
      {
        actorId: actor.id,
        channelId: stream.streamerId,
        streamId: stream.id,
        action: 'set_chat_mode',
        metadata: patch,
      },
      tx,
    );
    return updated;
  });
  const event = settingsEvent(stream.id, row!.settings);
  await publishToRoom(deps.bus, stream.id, event);
  return event;
}
