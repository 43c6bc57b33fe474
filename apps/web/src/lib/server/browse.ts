import type { RequestEvent } from '@sveltejs/kit';
import { type BrowseFilters, liveQuery, parseBrowseFilters } from '#lib/streams.ts';
import type { Category } from '#lib/types.ts';
import { serverApi } from './api.ts';
import { settled } from './load.ts';

/**
 * The live grid of `/browse` and `/c/[slug]`: filters from the address bar, the first page of `streams.live`,
 * and the region tree with live counts for the pickers. Only the grid is essential; the pickers may fail alone.
 */
export async function loadBrowse(
  event: Pick<RequestEvent, 'fetch' | 'request' | 'getClientAddress' | 'url'>,
  categories: Category[] | null,
  fixedCategory?: Category,
) {
  const parsed = parseBrowseFilters(event.url.searchParams);
  const filters: BrowseFilters = fixedCategory ? { ...parsed, category: fixedCategory.slug } : parsed;
  const category =
    fixedCategory ?? categories?.find((candidate) => candidate.slug === filters.category) ?? null;
  // A link to a category that no longer exists shows every category and says so, rather than nothing at all.
  const unknownCategory = filters.category && !category && categories ? filters.category : null;
  const api = serverApi(event);
  const [streams, tree, stats] = await Promise.allSettled([
    api.streams.live.query(liveQuery(filters, category?.id ?? null)),
    api.regions.tree.query(),
    api.regions.stats.query(),
  ]);
  return {
    filters,
    category,
    unknownCategory,
    streams: settled(streams),
    regions: tree.status === 'fulfilled' ? tree.value : null,
    liveCounts:
      stats.status === 'fulfilled'
        ? stats.value.regions.map((region) => [region.id, region.liveStreams] as [number, number])
        : null,
    totals: stats.status === 'fulfilled' ? stats.value.total : null,
  };
}
