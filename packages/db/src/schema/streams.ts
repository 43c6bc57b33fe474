import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
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
import { categories } from './categories.ts';
import { jsonb, timestamps } from './columns.ts';
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

/**
 * The keys of `StreamSettings` at run time. SQL reads them by name (`settings->>'chatMode'` in
 * `sql/chat/chat_post.sql`), where the type checker cannot follow a rename; a test checks every key the sql files
 * read against this list.
 */
export const STREAM_SETTINGS_KEYS = [
  'chatMode',
  'slowModeSeconds',
  'linksAllowed',
] as const satisfies readonly (keyof StreamSettings)[];
/** Compiles only while the list names every key of `StreamSettings`: a missing key is named in the error. */
const _everySettingListed: Record<
  Exclude<keyof StreamSettings, (typeof STREAM_SETTINGS_KEYS)[number]>,
  never
> = {};

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
    /** Where OBS sends the stream and its key; only the owner ever sees them. */
    ingressUrl: text('ingress_url'),
    ingressStreamKey: text('ingress_stream_key'),
    ingressPreset: text('ingress_preset'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Why the stream ended: `stopped` (the owner or staff), `room_finished`, `ingress_ended`, `ingress_error`. */
    endedReason: text('ended_reason'),
    currentViewers: integer('current_viewers').notNull().default(0),
    peakViewers: integer('peak_viewers').notNull().default(0),
    totalViews: integer('total_views').notNull().default(0),
    /**
     * log10(1 + viewers) + start time in units of TRENDING_HALF_LIFE: a newer stream outranks an older one with
     * ten times its viewers every interval. Independent of the current time, so it can be indexed; it is
     * recomputed whenever the viewer count or start time changes.
     */
    trendingScore: doublePrecision('trending_score').notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('streams_livekit_room_key').on(t.livekitRoom),
    /** A streamer has at most one stream that is not over: the one the studio edits and goes live with. */
    uniqueIndex('streams_streamer_id_open_key').on(t.streamerId).where(sql`${t.status} <> 'ended'`),
    // Browse (`streams.live`): one partial index per sort order, newest rows first, ties broken by id.
    index('streams_live_current_viewers_id_idx')
      .on(t.currentViewers.desc(), t.id.desc())
      .where(sql`${t.status} = 'live'`),
    index('streams_live_started_at_id_idx')
      .on(t.startedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'live'`),
    index('streams_live_trending_score_id_idx')
      .on(t.trendingScore.desc(), t.id.desc())
      .where(sql`${t.status} = 'live'`),
    index('streams_live_category_id_current_viewers_idx')
      .on(t.categoryId, t.currentViewers.desc(), t.id.desc())
      .where(sql`${t.status} = 'live'`),
    index('streams_live_region_id_idx').on(t.regionId).where(sql`${t.status} = 'live'`),
    index('streams_category_id_status_idx').on(t.categoryId, t.status),
    index('streams_region_id_status_idx').on(t.regionId, t.status),
    index('streams_streamer_id_created_at_idx').on(t.streamerId, t.createdAt.desc()),
    index('streams_ingress_id_idx').on(t.ingressId),
    check('streams_viewers_nonnegative_chk', sql`${t.currentViewers} >= 0 AND ${t.peakViewers} >= 0`),
    check(
      'streams_ended_reason_chk',
      sql`${t.endedReason} IS NULL OR ${t.endedReason} IN ('stopped', 'room_finished', 'ingress_ended', 'ingress_error')`,
    ),
  ],
);

/**
 * One row per LiveKit participant session (its `sid`) in a stream's room, so viewer counts survive replayed and
 * out-of-order `participant_joined`/`participant_left` webhooks: a leave that arrives first leaves a row with
 * `left_at` set and no `joined_at`, and the late join then changes nothing.
 */
export const streamViewerSessions = pgTable(
  'stream_viewer_sessions',
  {
    streamId: uuid('stream_id')
      .notNull()
      .references(() => streams.id, { onDelete: 'cascade' }),
    participantSid: text('participant_sid').notNull(),
    /** The user id, or the guest's id: distinct keys make `total_views`. */
    viewerKey: text('viewer_key').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'stream_viewer_sessions_pkey', columns: [t.streamId, t.participantSid] }),
    index('stream_viewer_sessions_stream_id_viewer_key_idx').on(t.streamId, t.viewerKey),
  ],
);

/** LiveKit webhook events already applied, by event id: a replay is recognised and changes nothing. */
export const livekitWebhookEvents = pgTable(
  'livekit_webhook_events',
  {
    id: text('id').primaryKey(),
    event: text('event').notNull(),
    roomName: text('room_name'),
    /** When LiveKit says the event happened. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('livekit_webhook_events_received_at_idx').on(t.receivedAt)],
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
    /** queued → active → reached | expired (deadline passed) | cancelled; one active goal per stream. */
    status: text('status').$type<GoalStatus>().notNull().default('active'),
    /** Order in the stream's queue; the lowest queued goal starts when the active one ends. */
    position: integer('position').notNull().default(0),
    /** Tips from this moment on count toward the goal; null while queued. */
    startedAt: timestamp('started_at', { withTimezone: true }),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    reachedAt: timestamp('reached_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index('stream_goals_stream_id_idx').on(t.streamId, t.status, t.position),
    uniqueIndex('stream_goals_one_active_key').on(t.streamId).where(sql`${t.status} = 'active'`),
    check('stream_goals_target_positive_chk', sql`${t.targetTokens} > 0`),
    check(
      'stream_goals_status_chk',
      sql`${t.status} IN ('queued', 'active', 'reached', 'expired', 'cancelled')`,
    ),
  ],
);

export const GOAL_STATUSES = ['queued', 'active', 'reached', 'expired', 'cancelled'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

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
export type StreamViewerSession = typeof streamViewerSessions.$inferSelect;
export type LivekitWebhookEvent = typeof livekitWebhookEvents.$inferSelect;
