import { messages, users, whisperThreads } from '@app/db/schema';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { WhisperView } from '../events/user.ts';
import { publishToUser } from '../events/user.ts';
import { screenText } from '../filters/screen.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, invalid, notFound } from '../kernel/errors.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import { checkLimit } from '../kernel/throttle.ts';
import { markWhisperNotificationsRead } from '../notifications/inbox.ts';
import { notifyWhisperIfAway } from '../notifications/whispers.ts';
import type { ThreadInput, WhisperInput } from './schemas.ts';

type Person = { id: string; username: string; displayName: string; avatarUrl: string | null };

const person = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  avatarUrl: users.avatarUrl,
};

/**
 * A private message. Stored with both inboxes updated in one transaction, then announced to the recipient and to
 * the sender's other tabs on `user:{id}`. A whisper is in no room: the platform's word filters apply.
 */
export async function sendWhisper(
  deps: CoreDeps,
  fromUserId: string,
  input: WhisperInput,
): Promise<WhisperView> {
  if (input.toUserId === fromUserId) throw invalid('toUserId', 'You cannot whisper to yourself.');
  await checkLimit(
    deps.limiters.whisperByUser,
    fromUserId,
    (wait) => `You are sending whispers too fast. Wait ${wait} and try again.`,
  );
  const text = await screenText(deps, 'platform', input.text, { field: 'text', what: 'Your whisper' });
  const found = await deps.db
    .select({ ...person, bannedAt: users.bannedAt })
    .from(users)
    .where(or(eq(users.id, input.toUserId), eq(users.id, fromUserId)));
  const recipient = found.find((user) => user.id === input.toUserId);
  const sender = found.find((user) => user.id === fromUserId);
  if (!recipient || !sender) throw notFound('That user');
  if (recipient.bannedAt) throw forbidden('That account is banned; it cannot receive whispers.');
  const now = deps.clock.now();
  const message = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(messages)
      .values({
        kind: 'whisper',
        senderId: fromUserId,
        recipientId: input.toUserId,
        body: text,
        createdAt: now,
      })
      .returning();
    await tx
      .insert(whisperThreads)
      .values([
        {
          userId: fromUserId,
          peerId: input.toUserId,
          lastMessageId: row!.id,
          lastMessageAt: now,
          unreadCount: 0,
        },
        {
          userId: input.toUserId,
          peerId: fromUserId,
          lastMessageId: row!.id,
          lastMessageAt: now,
          unreadCount: 1,
        },
      ])
      .onConflictDoUpdate({
        target: [whisperThreads.userId, whisperThreads.peerId],
        set: {
          lastMessageId: sql`excluded.last_message_id`,
          lastMessageAt: sql`excluded.last_message_at`,
          unreadCount: sql`${whisperThreads.unreadCount} + excluded.unread_count`,
        },
      });
    return row!;
  });
  const view: WhisperView = {
    id: message.id,
    fromUserId,
    toUserId: input.toUserId,
    text: message.body,
    createdAt: message.createdAt.toISOString(),
    readAt: null,
    from: {
      id: sender.id,
      username: sender.username,
      displayName: sender.displayName,
      avatarUrl: sender.avatarUrl,
    },
  };
  await Promise.all([
    publishToUser(deps.bus, input.toUserId, { type: 'whisper', message: view }),
    publishToUser(deps.bus, fromUserId, { type: 'whisper', message: view }),
  ]);
  await notifyWhisperIfAway(deps, view);
  return view;
}

export type Conversation = {
  peer: Person;
  lastMessage: { id: number; text: string; fromMe: boolean; createdAt: Date };
  unreadCount: number;
};

/** The caller's inbox: one entry per person, most recent first, with unread counts. */
export async function conversations(
  deps: CoreDeps,
  userId: string,
): Promise<{ items: Conversation[]; unreadTotal: number }> {
  const rows = await deps.db
    .select({
      peer: person,
      unreadCount: whisperThreads.unreadCount,
      lastId: messages.id,
      lastText: messages.body,
      lastSender: messages.senderId,
      lastAt: messages.createdAt,
    })
    .from(whisperThreads)
    .innerJoin(users, eq(users.id, whisperThreads.peerId))
    .innerJoin(messages, eq(messages.id, whisperThreads.lastMessageId))
    .where(eq(whisperThreads.userId, userId))
    .orderBy(desc(whisperThreads.lastMessageAt))
    .limit(CHAT_LIMITS.conversationsMax);
  const [total] = await deps.db
    .select({ unread: sql<number>`coalesce(sum(${whisperThreads.unreadCount}), 0)::int` })
    .from(whisperThreads)
    .where(eq(whisperThreads.userId, userId));
  return {
    items: rows.map((row) => ({
      peer: row.peer,
      lastMessage: {
        id: row.lastId,
        text: row.lastText,
        fromMe: row.lastSender === userId,
        createdAt: row.lastAt,
      },
      unreadCount: row.unreadCount,
    })),
    unreadTotal: total?.unread ?? 0,
  };
}

/** One conversation, a page at a time (oldest first within the page). */
export async function whisperThread(
  deps: CoreDeps,
  userId: string,
  input: ThreadInput,
): Promise<{ peer: Person; items: WhisperView[]; nextCursor: number | null }> {
  const [peer] = await deps.db.select(person).from(users).where(eq(users.id, input.userId));
  if (!peer) throw notFound('That user');
  const rows = await deps.db
    .select({
      id: messages.id,
      senderId: messages.senderId,
      recipientId: messages.recipientId,
      body: messages.body,
      createdAt: messages.createdAt,
      readAt: messages.readAt,
    })
    .from(messages)
    .where(
      and(
        eq(messages.kind, 'whisper'),
        or(
          and(eq(messages.senderId, userId), eq(messages.recipientId, input.userId)),
          and(eq(messages.senderId, input.userId), eq(messages.recipientId, userId)),
        ),
        input.cursor ? lt(messages.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(messages.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const [me] = await deps.db.select(person).from(users).where(eq(users.id, userId));
  return {
    peer,
    items: page.reverse().map((row) => ({
      id: row.id,
      fromUserId: row.senderId!,
      toUserId: row.recipientId!,
      text: row.body,
      createdAt: row.createdAt.toISOString(),
      readAt: row.readAt?.toISOString() ?? null,
      from: row.senderId === userId ? me! : peer,
    })),
    nextCursor: rows.length > input.limit ? (page[0]?.id ?? null) : null,
  };
}

/** Marks a conversation read; the sender's open tabs learn it on `user:{id}`. */
export async function markWhispersRead(
  deps: CoreDeps,
  userId: string,
  peerId: string,
): Promise<{ read: number }> {
  const now = deps.clock.now();
  const read = await deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(messages)
      .set({ readAt: now })
      .where(
        and(
          eq(messages.kind, 'whisper'),
          eq(messages.recipientId, userId),
          eq(messages.senderId, peerId),
          isNull(messages.readAt),
        ),
      )
      .returning({ id: messages.id });
    await tx
      .update(whisperThreads)
      .set({ unreadCount: 0 })
      .where(and(eq(whisperThreads.userId, userId), eq(whisperThreads.peerId, peerId)));
    return updated.length;
  });
  if (read > 0) {
    // The reader's other tabs clear their unread count; the sender's tabs may show "Seen".
    const event = {
      type: 'whisper.read' as const,
      readerId: userId,
      senderId: peerId,
      readAt: now.toISOString(),
    };
    await Promise.all([publishToUser(deps.bus, userId, event), publishToUser(deps.bus, peerId, event)]);
  }
  await markWhisperNotificationsRead(deps, userId, peerId);
  return { read };
}
