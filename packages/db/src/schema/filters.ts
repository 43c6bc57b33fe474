import { sql } from 'drizzle-orm';
import { bigint, check, pgEnum, pgTable, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { jsonb } from './columns.ts';
import { users } from './users.ts';

/** What a filtered word does to a text: refuse it whole, or replace the word by asterisks. */
export const filterMode = pgEnum('filter_mode', ['block', 'mask']);
export const FILTER_MODES = filterMode.enumValues;
export type FilterMode = (typeof FILTER_MODES)[number];

/** One filtered word or phrase, as its editor wrote it. */
export type FilterTerm = { word: string; mode: FilterMode };

/**
 * A word list: the platform's (`channel_id` null, one row) or one channel's (its streamer's rooms). The whole list
 * is one row so an edit replaces it at once and every node rebuilds one matcher from one read.
 */
export const contentFilters = pgTable(
  'content_filters',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    channelId: uuid('channel_id').references(() => users.id, { onDelete: 'cascade' }),
    terms: jsonb('terms').$type<FilterTerm[]>().notNull().default([]),
    /** The platform list only: obscenity's English word list, off (null) or applied in this mode. */
    englishPreset: filterMode('english_preset'),
    updatedById: uuid('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('content_filters_channel_id_key').on(t.channelId).nullsNotDistinct(),
    check(
      'content_filters_preset_platform_only_check',
      sql`${t.channelId} is null or ${t.englishPreset} is null`,
    ),
  ],
);

export type ContentFilter = typeof contentFilters.$inferSelect;
export type NewContentFilter = typeof contentFilters.$inferInsert;
