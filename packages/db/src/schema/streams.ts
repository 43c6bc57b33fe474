import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { categories } from './categories.ts';
import { timestamps } from './columns.ts';
import { regions } from './regions.ts';
import { users } from './users.ts';

/** draft → live → ended; a stream row is one broadcast. */
export const streamStatus = pgEnum('stream_status', ['draft', 'live', 'ended']);
export const ingressKind = pgEnum('ingress_kind', ['rtmp', 'whip']);
export const chatMode = pgEnum('chat_mode', ['everyone', 'followers', 'verified']);

export type StreamSettings = {
  chatMode?: 'everyone' | 'followers' | 'verified';
  slowModeSeconds?: number;
  linksAllowed?: boolean;
};

export const streams = pgTable(
  'streams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    streamerId: uuid('streamer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: streamStatus('status').notNull().default('draft'),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
    regionId: integer('region_id').references(() => regions.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    nsfw: boolean('nsfw').notNull().default(false),
    language: text('language').notNull().default('en'),
    thumbnailUrl: text('thumbnail_url'),
    settings: jsonb('settings').$type<StreamSettings>().notNull().default({}),
    /** One LiveKit room per stream. */
    livekitRoom: text('livekit_room').notNull(),
    ingressId: text('ingress_id'),
    ingressKind: ingressKind('ingress_kind'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    currentViewers: integer('current_viewers').notNull().default(0),
    peakViewers: integer('peak_viewers').notNull().default(0),
    totalViews: integer('total_views').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('streams_livekit_room_key').on(t.livekitRoom),
    index('streams_status_current_viewers_idx').on(t.status, t.currentViewers.desc()),
    index('streams_status_started_at_idx').on(t.status, t.startedAt.desc()),
    index('streams_category_id_status_idx').on(t.categoryId, t.status),
    index('streams_region_id_status_idx').on(t.regionId, t.status),
    index('streams_streamer_id_created_at_idx').on(t.streamerId, t.createdAt.desc()),
    check('streams_viewers_nonnegative_chk', sql`${t.currentViewers} >= 0 AND ${t.peakViewers} >= 0`),
  ],
);

export const streamGoals = pgTable(
  'stream_goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    streamId: uuid('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    targetTokens: bigint('target_tokens', { mode: 'number' }).notNull(),
    progressTokens: bigint('progress_tokens', { mode: 'number' }).notNull().default(0),
    reachedAt: timestamp('reached_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index('stream_goals_stream_id_idx').on(t.streamId),
    check('stream_goals_target_positive_chk', sql`${t.targetTokens} > 0`),
  ],
);

/** Tip menu items: "50 tokens — song request". Owned by the streamer, shown on their streams. */
export const streamRules = pgTable(
  'stream_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    streamerId: uuid('streamer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    amountTokens: bigint('amount_tokens', { mode: 'number' }).notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    index('stream_rules_streamer_id_idx').on(t.streamerId),
    check('stream_rules_amount_positive_chk', sql`${t.amountTokens} > 0`),
  ],
);

export type Stream = typeof streams.$inferSelect;
export type NewStream = typeof streams.$inferInsert;
export type StreamGoal = typeof streamGoals.$inferSelect;
export type StreamRule = typeof streamRules.$inferSelect;
