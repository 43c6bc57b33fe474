import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { streams } from './streams.ts';
import { users } from './users.ts';

export const messageKind = pgEnum('message_kind', ['chat', 'whisper', 'system']);

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
