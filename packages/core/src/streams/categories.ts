import { categories, streams, users } from '@app/db/schema';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';

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

/** Every category in display order, with how many streams are live in it now (banned streamers' are not). */
export async function listCategories(deps: CoreDeps): Promise<CategoryView[]> {
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
    .groupBy(categories.id)
    .orderBy(asc(categories.sortOrder), asc(categories.name));
  return rows.map((row) => ({ ...row, liveCount: Number(row.liveCount), viewers: Number(row.viewers) }));
}
