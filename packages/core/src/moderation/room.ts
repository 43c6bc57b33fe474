import { channelBans, channelModerators, messages, moderationLogs, streams, users } from '@app/db/schema';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { settingsEvent } from '../chat/messages.ts';
import type {
  ChatModeInput,
  DeleteMessageInput,
  ModerationLogInput,
  RoomBanInput,
  RoomUnbanInput,
  TimeoutInput,
} from '../chat/schemas.ts';
import { rowsOf } from '../db-errors.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';

/** Who is acting: the signed-in user's id and platform role. */
export type Actor = { id: string; role: 'viewer' | 'streamer' | 'moderator' | 'admin' };

/** How the actor stands in a channel: platform staff, its streamer, one of its moderators, or nobody. */
export type ChannelPower = 'staff' | 'streamer' | 'moderator' | null;

const isStaff = (role: Actor['role']) => role === 'admin' || role === 'moderator';

export async function channelPower(deps: CoreDeps, actor: Actor, channelId: string): Promise<ChannelPower> {
  if (isStaff(actor.role)) return 'staff';
  if (actor.id === channelId) return 'streamer';
  const [mod] = await deps.db
    .select({ userId: channelModerators.userId })
    .from(channelModerators)
    .where(and(eq(channelModerators.channelId, channelId), eq(channelModerators.userId, actor.id)));
  return mod ? 'moderator' : null;
}

async function streamChannel(deps: CoreDeps, streamId: string) {
  const [stream] = await deps.db
    .select({ id: streams.id, streamerId: streams.streamerId, settings: streams.settings })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  return stream;
}

/** The stream, when the actor may moderate it: its streamer, its channel's moderators, and platform staff. */
async function moderatedStream(deps: CoreDeps, actor: Actor, streamId: string) {
  const stream = await streamChannel(deps, streamId);
  const power = await channelPower(deps, actor, stream.streamerId);
  if (!power) throw forbidden('Only this channel’s streamer and moderators can moderate its chat.');
  return { stream, power };
}

/**
 * Whom the actor may restrict: never themselves, the channel's streamer or platform staff; a channel moderator
 * only by the streamer or staff.
 */
async function checkTarget(
  deps: CoreDeps,
  actor: Actor,
  power: ChannelPower,
  channelId: string,
  targetId: string,
) {
  if (targetId === actor.id) throw invalid('userId', 'You cannot do that to yourself.');
  const [target] = await deps.db
    .select({ id: users.id, role: users.role, username: users.username })
    .from(users)
    .where(eq(users.id, targetId));
  if (!target) throw notFound('That user');
  if (targetId === channelId) throw forbidden('The streamer cannot be restricted in their own chat.');
  if (isStaff(target.role)) throw forbidden('Platform staff cannot be restricted in a channel.');
  if (power === 'moderator' && (await channelPower(deps, target, channelId)) === 'moderator') {
    throw forbidden('Only the streamer can restrict another moderator.');
  }
  return target;
}

async function log(
  deps: CoreDeps,
  entry: Omit<typeof moderationLogs.$inferInsert, 'id' | 'createdAt'>,
  executor: Pick<CoreDeps['db'], 'insert'> = deps.db,
) {
  await executor.insert(moderationLogs).values({ ...entry, createdAt: deps.clock.now() });
}

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
  const event = { type: 'chat.deleted', streamId: stream.id, messageId: message.id };
  const eventId = await deps.db.transaction(async (tx) => {
    const deleted = await tx
      .update(messages)
      .set({ deletedAt: now, deletedById: actor.id })
      .where(and(eq(messages.id, message.id), sql`${messages.deletedAt} is null`))
      .returning({ id: messages.id });
    if (deleted.length === 0) return null;
    const [row] = rowsOf<{ id: number }>(
      await tx.execute(
        sql`select chat_event_append(${stream.id}::uuid, 'delete', ${message.id}::bigint, ${JSON.stringify(event)}::text::jsonb)::int as id`,
      ),
    );
    await log(
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
    return row!.id;
  });
  if (eventId !== null) await deps.bus.publish(`stream:${stream.id}`, { ...event, eventId });
  return { messageId: message.id, deleted: true };
}

/**
 * A timeout (`seconds` set) or a ban (null) in the stream's channel: written with its log entry in one
 * transaction, then told to the user's open connections (a ban ends their subscriptions to the channel).
 */
async function restrict(
  deps: CoreDeps,
  actor: Actor,
  input: { streamId: string; userId: string; reason: string; seconds: number | null },
) {
  const { stream, power } = await moderatedStream(deps, actor, input.streamId);
  await checkTarget(deps, actor, power, stream.streamerId, input.userId);
  const now = deps.clock.now();
  const until = input.seconds === null ? null : new Date(now.getTime() + input.seconds * 1000);
  await deps.db.transaction(async (tx) => {
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
    await log(
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
  });
  await deps.bus.publish(`user:${input.userId}`, {
    type: 'chat.restricted',
    channelId: stream.streamerId,
    streamId: stream.id,
    until: until?.toISOString() ?? null,
    reason: input.reason,
  });
  return until;
}

/** Silences a user in the channel for a while; a ban already in place is kept. */
export async function timeoutUser(deps: CoreDeps, actor: Actor, input: TimeoutInput) {
  const until = await restrict(deps, actor, input);
  return { userId: input.userId, until: until! };
}

/** Bans a user from the channel until lifted: no chat, no watching; their open subscriptions end at once. */
export async function banFromChannel(deps: CoreDeps, actor: Actor, input: RoomBanInput) {
  await restrict(deps, actor, { ...input, seconds: null });
  return { userId: input.userId, banned: true };
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
    await log(
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
  const [row] = await deps.db
    .update(streams)
    .set({ settings: sql`${streams.settings} || ${JSON.stringify(patch)}::text::jsonb` })
    .where(eq(streams.id, stream.id))
    .returning({ settings: streams.settings });
  await log(deps, {
    actorId: actor.id,
    channelId: stream.streamerId,
    streamId: stream.id,
    action: 'set_chat_mode',
    metadata: patch,
  });
  const event = settingsEvent(stream.id, row!.settings);
  await deps.bus.publish(`stream:${stream.id}`, event);
  return event;
}

/** The channel whose moderators the actor manages: their own, or (staff only) the one named. */
function managedChannel(actor: Actor, channelId: string | undefined): string {
  if (channelId && channelId !== actor.id) {
    if (actor.role !== 'admin') throw forbidden('Only admins can manage another channel’s moderators.');
    return channelId;
  }
  if (actor.role !== 'streamer' && actor.role !== 'admin') {
    throw forbidden('Only streamers can choose moderators for their channel.');
  }
  return actor.id;
}

export async function addChannelModerator(
  deps: CoreDeps,
  actor: Actor,
  input: { userId: string; channelId?: string | undefined },
) {
  const channelId = managedChannel(actor, input.channelId);
  if (input.userId === channelId)
    throw invalid('userId', 'The streamer already moderates their own channel.');
  const [target] = await deps.db
    .select({ id: users.id, bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!target) throw notFound('That user');
  if (target.bannedAt) throw forbidden('A banned account cannot moderate.');
  await deps.db.transaction(async (tx) => {
    const added = await tx
      .insert(channelModerators)
      .values({ channelId, userId: input.userId, addedById: actor.id, createdAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ userId: channelModerators.userId });
    if (added.length === 0) throw new DomainError('CONFLICT', 'That user already moderates this channel.');
    await log(
      deps,
      { actorId: actor.id, targetUserId: input.userId, channelId, action: 'add_moderator' },
      tx,
    );
  });
  return { channelId, userId: input.userId };
}

export async function removeChannelModerator(
  deps: CoreDeps,
  actor: Actor,
  input: { userId: string; channelId?: string | undefined },
) {
  const channelId = managedChannel(actor, input.channelId);
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(channelModerators)
      .where(and(eq(channelModerators.channelId, channelId), eq(channelModerators.userId, input.userId)))
      .returning({ userId: channelModerators.userId });
    if (removed.length === 0) throw new DomainError('CONFLICT', 'That user does not moderate this channel.');
    await log(
      deps,
      { actorId: actor.id, targetUserId: input.userId, channelId, action: 'remove_moderator' },
      tx,
    );
  });
  return { channelId, userId: input.userId };
}

/** A channel's moderators (anyone may see who moderates a channel). */
export async function channelModeratorList(deps: CoreDeps, channelId: string) {
  return deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarUrl: users.avatarUrl,
      since: channelModerators.createdAt,
    })
    .from(channelModerators)
    .innerJoin(users, eq(users.id, channelModerators.userId))
    .where(eq(channelModerators.channelId, channelId))
    .orderBy(desc(channelModerators.createdAt));
}

/**
 * Who did what to whom, and why: a channel's log for its streamer and moderators; every channel's for staff.
 */
export async function moderationLog(deps: CoreDeps, actor: Actor, input: ModerationLogInput) {
  if (input.channelId) {
    if (!(await channelPower(deps, actor, input.channelId))) {
      throw forbidden('Only this channel’s streamer and moderators can read its moderation log.');
    }
  } else if (!isStaff(actor.role)) {
    if (actor.role !== 'streamer') throw forbidden('Name the channel whose moderation log you want to read.');
  }
  const channelId = input.channelId ?? (isStaff(actor.role) ? undefined : actor.id);
  const actorUser = sql<string | null>`(select username from users where id = ${moderationLogs.actorId})`;
  const targetUser = sql<
    string | null
  >`(select username from users where id = ${moderationLogs.targetUserId})`;
  const rows = await deps.db
    .select({
      id: moderationLogs.id,
      action: moderationLogs.action,
      reason: moderationLogs.reason,
      durationSeconds: moderationLogs.durationSeconds,
      channelId: moderationLogs.channelId,
      streamId: moderationLogs.streamId,
      messageId: moderationLogs.messageId,
      metadata: moderationLogs.metadata,
      createdAt: moderationLogs.createdAt,
      actorId: moderationLogs.actorId,
      actorUsername: actorUser,
      targetUserId: moderationLogs.targetUserId,
      targetUsername: targetUser,
    })
    .from(moderationLogs)
    .where(
      and(
        channelId ? eq(moderationLogs.channelId, channelId) : undefined,
        input.cursor ? lt(moderationLogs.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(moderationLogs.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
