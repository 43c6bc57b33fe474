import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, jsonb } from './columns.ts';
import { streams } from './streams.ts';
import { users } from './users.ts';

export const messageKind = pgEnum('message_kind', ['chat', 'whisper', 'system', 'tip']);

/**
 * Chat lines (stream_id set) and whispers (recipient_id set). The bigint id orders a room's events and is the
 * resume point for subscriptions.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: messageKind('kind').notNull(),
    streamId: uuid('stream_id').references(() => streams.id, { onDelete: 'cascade' }),
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'set null' }),
    recipientId: uuid('recipient_id').references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    /** The sender's id for this message, so a retried send is stored once. */
    clientMessageId: text('client_message_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    readAt: timestamp('read_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedById: uuid('deleted_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt,
  },
  (t) => [
    index('messages_stream_id_id_idx').on(t.streamId, t.id),
    index('messages_recipient_id_created_at_idx').on(t.recipientId, t.createdAt),
    index('messages_sender_id_created_at_idx').on(t.senderId, t.createdAt),
    /** A sender's last line in a room: slow mode and the repeat rule. */
    index('messages_sender_id_stream_id_created_at_idx').on(t.senderId, t.streamId, t.createdAt),
    uniqueIndex('messages_sender_id_client_message_id_key').on(t.senderId, t.clientMessageId),
    check('messages_body_length_chk', sql`char_length(${t.body}) <= 2000`),
    check(
      'messages_target_chk',
      sql`(${t.kind} = 'whisper' AND ${t.recipientId} IS NOT NULL) OR (${t.kind} <> 'whisper' AND ${t.streamId} IS NOT NULL)`,
    ),
  ],
);

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** What happened in a room, in order: the log a subscription resumes from (`chat.onStream` with `lastEventId`). */
export const chatEventKind = pgEnum('chat_event_kind', ['message', 'delete', 'reaction']);

/**
 * A room's events, in the order they were committed: `chat_post` takes a per-room lock before it assigns the id,
 * so ids of one room grow in commit order. `payload` is the event exactly as subscribers receive it.
 */
export const chatEvents = pgTable(
  'chat_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    streamId: uuid('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    kind: chatEventKind('kind').notNull(),
    messageId: bigint('message_id', { mode: 'number' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt,
  },
  (t) => [
    index('chat_events_stream_id_id_idx').on(t.streamId, t.id),
    index('chat_events_message_id_idx').on(t.messageId),
  ],
);

/** One reaction per user, emoji and message. */
export const messageReactions = pgTable(
  'message_reactions',
  {
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    createdAt,
  },
  (t) => [
    primaryKey({ name: 'message_reactions_pkey', columns: [t.messageId, t.userId, t.emoji] }),
    index('message_reactions_message_id_emoji_idx').on(t.messageId, t.emoji),
  ],
);

/** A user's whisper inbox: one row per conversation partner, kept by `chat.whisper`. */
export const whisperThreads = pgTable(
  'whisper_threads',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    peerId: uuid('peer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastMessageId: bigint('last_message_id', { mode: 'number' }).notNull(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    unreadCount: integer('unread_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'whisper_threads_pkey', columns: [t.userId, t.peerId] }),
    index('whisper_threads_user_id_last_message_at_idx').on(t.userId, t.lastMessageAt.desc()),
    check('whisper_threads_unread_nonnegative_chk', sql`${t.unreadCount} >= 0`),
  ],
);

export type ChatEvent = typeof chatEvents.$inferSelect;
export type WhisperThread = typeof whisperThreads.$inferSelect;
