import {
  bigint,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, jsonb } from './columns.ts';
import { streams } from './streams.ts';
import { users } from './users.ts';

export const moderationAction = pgEnum('moderation_action', [
  'delete_message',
  'timeout',
  'ban',
  'unban',
  'platform_ban',
  'platform_unban',
  'set_chat_mode',
  'add_moderator',
  'remove_moderator',
  'role_change',
  /** An admin read who sent anonymous tips (`metadata.messageIds`: the tip lines); nobody else can. */
  'reveal_anonymous_tipper',
  /** An admin granted a user tokens (`metadata.amountTokens`, `metadata.ledgerTransactionId`; the reason). */
  'grant_tokens',
  /** A staff member took a report to review (`metadata.reportId`; `metadata.takenOverFrom` on a takeover). */
  'claim_report',
  /** A staff member closed a report (`metadata.reportId`, `metadata.action`: what was done about it). */
  'resolve_report',
  /** A word filter list changed (`channel_id` null: the platform's; `metadata`: words added, removed, preset). */
  'update_filters',
]);

/** Who did what to whom, and why. Append-only. */
export const moderationLogs = pgTable(
  'moderation_logs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    targetUserId: uuid('target_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The channel (streamer) the action applies to; null for platform-wide actions. */
    channelId: uuid('channel_id').references(() => users.id, { onDelete: 'set null' }),
    streamId: uuid('stream_id').references(() => streams.id, { onDelete: 'set null' }),
    messageId: bigint('message_id', { mode: 'number' }),
    action: moderationAction('action').notNull(),
    reason: text('reason'),
    durationSeconds: integer('duration_seconds'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt,
  },
  (t) => [
    index('moderation_logs_created_at_idx').on(t.createdAt.desc()),
    index('moderation_logs_channel_id_created_at_idx').on(t.channelId, t.createdAt.desc()),
    index('moderation_logs_target_user_id_idx').on(t.targetUserId),
  ],
);

/** Users a streamer has made moderators of their channel (all their streams). */
export const channelModerators = pgTable(
  'channel_moderators',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    addedById: uuid('added_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt,
  },
  (t) => [
    primaryKey({ name: 'channel_moderators_pkey', columns: [t.channelId, t.userId] }),
    index('channel_moderators_user_id_idx').on(t.userId),
  ],
);

/** Channel bans and timeouts: `expires_at` null is a ban until lifted, otherwise a timeout. */
export const channelBans = pgTable(
  'channel_bans',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt,
  },
  (t) => [primaryKey({ name: 'channel_bans_pkey', columns: [t.channelId, t.userId] })],
);

export type ModerationLog = typeof moderationLogs.$inferSelect;
export type ChannelBan = typeof channelBans.$inferSelect;
