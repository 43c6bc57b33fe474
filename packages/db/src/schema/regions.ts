import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const regionKind = pgEnum('region_kind', ['continent', 'country', 'city']);

/** Continent > country > city, one table; `parent_id` points one level up. */
export const regions = pgTable(
  'regions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: regionKind('kind').notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    /** ISO code: two letters for continents (EU) and countries (FR); null for cities. */
    code: text('code'),
    parentId: integer('parent_id').references((): AnyPgColumn => regions.id, { onDelete: 'restrict' }),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
  },
  (t) => [
    uniqueIndex('regions_parent_id_slug_key').on(t.parentId, t.slug),
    index('regions_kind_idx').on(t.kind),
    check('regions_parent_matches_kind_chk', sql`(${t.kind} = 'continent') = (${t.parentId} IS NULL)`),
  ],
);

export type Region = typeof regions.$inferSelect;
export type NewRegion = typeof regions.$inferInsert;
