import { categories, streams, users } from '@app/db/schema';
import { and, asc, count, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import { type CoreDeps, cachedRead } from '../kernel/deps.ts';
import { containsPattern } from '../kernel/search.ts';

export type CategoryView = {
  id: number;
  slug: string;
  name: string;
  description: string;
  imageUrl: string | null;
  adult: boolean;
  liveCount: number;
  /** Viewers of those live streams now. */
  viewers: number;
};

/** Categories in display order, with how many streams are live in each now (banned streamers' are not). */
async function categoryViews(deps: CoreDeps, where?: SQL): Promise<CategoryView[]> {
  const rows = await deps.db
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      imageUrl: categories.imageUrl,
      adult: categories.adult,
      liveCount: count(users.id),
      viewers: sql<number>`coalesce(sum(${streams.currentViewers}) FILTER (WHERE ${users.id} IS NOT NULL), 0)::int`,
    })
    .from(categories)
    .leftJoin(streams, and(eq(streams.categoryId, categories.id), eq(streams.status, 'live')))
    .leftJoin(users, and(eq(users.id, streams.streamerId), isNull(users.bannedAt)))
    .where(where)
    .groupBy(categories.id)
    .orderBy(asc(categories.sortOrder), asc(categories.name));
  return rows.map((row) => ({ ...row, liveCount: Number(row.liveCount), viewers: Number(row.viewers) }));
}

/** Every category in display order, with how many streams are live in it now (banned streamers' are not). */
export function listCategories(deps: CoreDeps): Promise<CategoryView[]> {
  return cachedRead(deps, 'categories.list', ['streams'], () => categoryViews(deps));
}

/**
 * The categories whose name or slug contains the query, as `listCategories` shows them (adult ones included, as
 * browsing lists them; their streams stay gated). Categories are a short list kept by staff, so every match is
 * returned and the count is exact.
 */
export function searchCategories(deps: CoreDeps, query: string): Promise<CategoryView[]> {
  const pattern = containsPattern(query);
  return categoryViews(deps, or(ilike(categories.name, pattern), ilike(categories.slug, pattern)));
}
