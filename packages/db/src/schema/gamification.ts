import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { users } from './users.ts';

// The room economy's projections (XP, levels, boards, kings, spend tiers): every row here is derived from the
// ledger and `tips` by core's projector and can be rebuilt from them. Limits and menu requests are the exception:
// they are the user's and the streamer's own data.

/**
 * A user's experience. `spendXp` is the tokens they tipped that still stand (1 XP per token), `activityXp` what
 * watching and chatting earned (capped per day, only up to level 9), `standingPurchases` how many of their purchases
 * were not refunded (the first lifts them to level 10). `xp` and `level` are derived by core's level curve and
 * stored for display and ranking; `spendTier` is the name colour from the last 14 days' spend.
 */
export const userLevels = pgTable(
  'user_levels',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    xp: bigint('xp', { mode: 'number' }).notNull().default(0),
    level: integer('level').notNull().default(1),
    spendXp: bigint('spend_xp', { mode: 'number' }).notNull().default(0),
    activityXp: integer('activity_xp').notNull().default(0),
    standingPurchases: integer('standing_purchases').notNull().default(0),
    spendTier: smallint('spend_tier').notNull().default(0),
    /** Shown as "Anonymous" on public boards (still counted). */
    hiddenFromBoards: boolean('hidden_from_boards').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('user_levels_xp_nonnegative_chk', sql`${t.xp} >= 0 AND ${t.level} >= 1`),
    index('user_levels_spend_tier_idx').on(t.userId).where(sql`${t.spendTier} > 0`),
  ],
);

/** A streamer's own level: tokens earned that still stand, and seconds live. */
export const streamerLevels = pgTable(
  'streamer_levels',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    earnedXp: bigint('earned_xp', { mode: 'number' }).notNull().default(0),
    liveSeconds: bigint('live_seconds', { mode: 'number' }).notNull().default(0),
    xp: bigint('xp', { mode: 'number' }).notNull().default(0),
    level: integer('level').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('streamer_levels_nonnegative_chk', sql`${t.xp} >= 0 AND ${t.level} >= 1`)],
);

/** Watch and chat XP earned per user per UTC day, so each stops at its daily cap. */
export const userActivityDays = pgTable(
  'user_activity_days',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    watchXp: integer('watch_xp').notNull().default(0),
    chatXp: integer('chat_xp').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'user_activity_days_pkey', columns: [t.userId, t.day] })],
);

/** Tokens a user tipped per UTC day (net of reversals): the 14-day spend behind the name colour. */
export const userSpendDays = pgTable(
  'user_spend_days',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'user_spend_days_pkey', columns: [t.userId, t.day] })],
);

/**
 * How far a projector has read the ledger: every ledger transaction at or below `position` is applied, except the
 * ids in `projector_holes`: ids below it that were not visible yet when it passed them (a transaction still in
 * flight, applied when it lands, or one that rolled back, forgotten after a grace period).
 */
export const projectorCursors = pgTable('projector_cursors', {
  name: text('name').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  /**
   * Names this cursor's life: a store outside Postgres (Redis) records it beside its own copy of the state, and one
   * that holds another epoch (a database reset under a Redis that was kept) is rebuilt instead of trusted.
   */
  epoch: uuid('epoch').notNull().defaultRandom(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const projectorHoles = pgTable(
  'projector_holes',
  {
    name: text('name').notNull(),
    transactionId: bigint('transaction_id', { mode: 'number' }).notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'projector_holes_pkey', columns: [t.name, t.transactionId] })],
);

/** Which process runs a projector: one holder at a time, renewed while it runs, taken over when it lapses. */
export const projectorLeases = pgTable('projector_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * The boards in Postgres, kept by the projector when there is no Redis (one row per board, scope, bucket and
 * member, as the Redis sorted sets hold them): `lb:{board}:{scope}:{bucket}`.
 */
export const leaderboardRollups = pgTable(
  'leaderboard_rollups',
  {
    board: text('board').notNull(),
    scope: text('scope').notNull(),
    bucket: text('bucket').notNull(),
    member: uuid('member').notNull(),
    score: bigint('score', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'leaderboard_rollups_pkey', columns: [t.board, t.scope, t.bucket, t.member] }),
    index('leaderboard_rollups_rank_idx').on(t.board, t.scope, t.bucket, t.score.desc(), t.member),
  ],
);

/** The top of each closed period, archived when the period ends (its Redis key expires later). */
export const leaderboardSnapshots = pgTable(
  'leaderboard_snapshots',
  {
    board: text('board').notNull(),
    scope: text('scope').notNull(),
    bucket: text('bucket').notNull(),
    rank: integer('rank').notNull(),
    member: uuid('member').notNull(),
    score: bigint('score', { mode: 'number' }).notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'leaderboard_snapshots_pkey', columns: [t.board, t.scope, t.bucket, t.rank] })],
);

/** The top tipper of a streamer's room over the last 12 hours, as last announced. */
export const roomKings = pgTable('room_kings', {
  streamerId: uuid('streamer_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  scoreTokens: bigint('score_tokens', { mode: 'number' }).notNull().default(0),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A viewer's request from a streamer's tip menu: the tip that paid for it, with the item's label and price as they
 * were (a later price change does not touch it), and whether the streamer has done it.
 */
export const menuRequests = pgTable(
  'menu_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tipId: bigint('tip_id', { mode: 'number' }).notNull().unique('menu_requests_tip_id_key'),
    streamId: uuid('stream_id').notNull(),
    streamerId: uuid('streamer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fromUserId: uuid('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id'),
    label: text('label').notNull(),
    priceTokens: bigint('price_tokens', { mode: 'number' }).notNull(),
    anonymous: boolean('anonymous').notNull().default(false),
    status: text('status').$type<'queued' | 'done'>().notNull().default('queued'),
    createdAt,
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    index('menu_requests_streamer_id_status_idx').on(t.streamerId, t.status, t.id),
    index('menu_requests_from_user_id_idx').on(t.fromUserId, t.id),
    check('menu_requests_status_chk', sql`${t.status} IN ('queued', 'done')`),
  ],
);

/**
 * A user's own spending limits (null: none). Lowering applies at once; a raise waits in `pending*` until
 * `pendingFrom` (24 hours after it was asked for).
 */
export const spendingLimits = pgTable(
  'spending_limits',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    dailyTokens: bigint('daily_tokens', { mode: 'number' }),
    weeklyTokens: bigint('weekly_tokens', { mode: 'number' }),
    pendingDailyTokens: bigint('pending_daily_tokens', { mode: 'number' }),
    pendingWeeklyTokens: bigint('pending_weekly_tokens', { mode: 'number' }),
    /** When the pending values take over; null when nothing is pending. */
    pendingFrom: timestamp('pending_from', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'spending_limits_positive_chk',
      sql`(${t.dailyTokens} IS NULL OR ${t.dailyTokens} > 0) AND (${t.weeklyTokens} IS NULL OR ${t.weeklyTokens} > 0)
        AND (${t.pendingDailyTokens} IS NULL OR ${t.pendingDailyTokens} > 0)
        AND (${t.pendingWeeklyTokens} IS NULL OR ${t.pendingWeeklyTokens} > 0)`,
    ),
  ],
);

export type UserLevel = typeof userLevels.$inferSelect;
export type StreamerLevel = typeof streamerLevels.$inferSelect;
export type MenuRequest = typeof menuRequests.$inferSelect;
export type SpendingLimit = typeof spendingLimits.$inferSelect;
export type RoomKing = typeof roomKings.$inferSelect;
export type LeaderboardRollup = typeof leaderboardRollups.$inferSelect;
