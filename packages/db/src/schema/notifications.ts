import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, jsonb } from './columns.ts';
import { users } from './users.ts';

/** What a notification is about; each kind can be muted on its own. */
export const NOTIFICATION_KINDS = ['stream.live', 'whisper', 'payout', 'moderation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const kindCheck = sql.raw(NOTIFICATION_KINDS.map((kind) => `'${kind}'`).join(', '));

/**
 * One thing a person was told (a followed streamer went live, a whisper while away, a payout decision, a
 * moderation action against them). `payload` holds what the bell shows and where it links; `read_at` is set once.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<NotificationKind>().notNull(),
    payload: jsonb('payload').notNull(),
    createdAt,
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_id_created_at_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_user_id_unread_idx').on(t.userId).where(sql`${t.readAt} IS NULL`),
    check('notifications_kind_chk', sql`${t.kind} IN (${kindCheck})`),
  ],
);

/** The kinds a person muted: a muted kind is neither stored nor delivered to them. */
export const notificationMutes = pgTable(
  'notification_mutes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<NotificationKind>().notNull(),
    createdAt,
  },
  (t) => [
    primaryKey({ name: 'notification_mutes_pkey', columns: [t.userId, t.kind] }),
    check('notification_mutes_kind_chk', sql`${t.kind} IN (${kindCheck})`),
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
