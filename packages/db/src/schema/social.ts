import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { users } from './users.ts';

export const userFollows = pgTable(
  'user_follows',
  {
    followerId: uuid('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followeeId: uuid('followee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Notify the follower when the followee goes live. */
    notify: boolean('notify').notNull().default(true),
    createdAt,
  },
  (t) => [
    primaryKey({ name: 'user_follows_pkey', columns: [t.followerId, t.followeeId] }),
    index('user_follows_followee_id_created_at_idx').on(t.followeeId, t.createdAt.desc()),
    index('user_follows_follower_id_created_at_idx').on(t.followerId, t.createdAt.desc()),
    check('user_follows_not_self_chk', sql`${t.followerId} <> ${t.followeeId}`),
  ],
);

export type UserFollow = typeof userFollows.$inferSelect;
