import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { regions } from './regions.ts';

export const userRole = pgEnum('user_role', ['viewer', 'streamer', 'moderator', 'admin']);
export const USER_ROLES = userRole.enumValues;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    username: text('username').notNull(),
    /** Stored lower-case; unique. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    bio: text('bio').notNull().default(''),
    avatarUrl: text('avatar_url'),
    role: userRole('role').notNull().default('viewer'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    /** Set when the user attested to being 18+ with a matching date of birth; gates NSFW streams. */
    ageVerifiedAt: timestamp('age_verified_at', { withTimezone: true }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'set null' }),
    streamerSince: timestamp('streamer_since', { withTimezone: true }),
    streamerPitch: text('streamer_pitch'),
    bannedAt: timestamp('banned_at', { withTimezone: true }),
    banReason: text('ban_reason'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    uniqueIndex('users_email_key').on(t.email),
    index('users_role_idx').on(t.role),
    index('users_region_id_idx').on(t.regionId),
    index('users_display_name_lower_idx').on(sql`lower(${t.displayName})`),
    check('users_username_lower_chk', sql`${t.username} = lower(${t.username})`),
    check('users_email_lower_chk', sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * Sessions as in Lucia's published design: the cookie holds `<id>.<secret>`; only a SHA-256 of the secret is
 * stored. A session dies after a period without use (`last_verified_at`), on logout, password change and ban.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    lastVerifiedAt: timestamp('last_verified_at', { withTimezone: true }).notNull().defaultNow(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserRole = (typeof USER_ROLES)[number];
export type Session = typeof sessions.$inferSelect;
