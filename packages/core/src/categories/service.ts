import { categories, streams } from '@app/db/schema';
import { and, asc, count, eq } from 'drizzle-orm';
import type { CoreDeps } from '../deps.ts';

export type CategoryView = {
  id: number;
  slug: string;
  name: string;
  description: string;
  imageUrl: string | null;
  adult: boolean;
  liveCount: number;
};

/** Every category in display order, with how many streams are live in it now. */
export async function listCategories(deps: CoreDeps): Promise<CategoryView[]> {
  const rows = await deps.db
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      description: categories.description,
      imageUrl: categories.imageUrl,
      adult: categories.adult,
      liveCount: count(streams.id),
    })
    .from(categories)
    .leftJoin(streams, and(eq(streams.categoryId, categories.id), eq(streams.status, 'live')))
    .groupBy(categories.id)
    .orderBy(asc(categories.sortOrder), asc(categories.name));
  return rows.map((row) => ({ ...row, liveCount: Number(row.liveCount) }));
}
