import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/** Experience and level per user; level is derived from xp by core's level curve and stored for ranking. */
export const userLevels = pgTable(
  'user_levels',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    xp: bigint('xp', { mode: 'number' }).notNull().default(0),
    level: integer('level').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('user_levels_xp_nonnegative_chk', sql`${t.xp} >= 0 AND ${t.level} >= 1`)],
);

export type UserLevel = typeof userLevels.$inferSelect;
