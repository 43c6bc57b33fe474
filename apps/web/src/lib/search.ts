import type { RouterOutputs } from '@app/api';

export type SearchResults = RouterOutputs['search']['all'];
export type SearchCount = SearchResults['streams']['total'];
export type SearchCategory = SearchResults['categories']['items'][number];

/** The tabs of `/search`, in order; `all` shows a few of each kind. */
export const SEARCH_TABS = ['all', 'streams', 'categories', 'people'] as const;
export type SearchTab = (typeof SEARCH_TABS)[number];

export const SEARCH_TAB_LABELS: Record<SearchTab, string> = {
  all: 'All',
  streams: 'Streams',
  categories: 'Categories',
  people: 'People',
};

/** Results of each kind a tab asks for: a few on "All", a page on a kind's own tab. */
export const SEARCH_TAB_LIMITS: Record<SearchTab, number> = {
  all: 6,
  streams: 24,
  categories: 50,
  people: 20,
};

/** The tab named by `?type=`; anything else (or nothing) is "All". */
export function parseSearchTab(params: Pick<URLSearchParams, 'get'>): SearchTab {
  const type = params.get('type');
  return SEARCH_TABS.find((tab) => tab === type) ?? 'all';
}

/** The address of a search: `/search?q=pasta`, with `&type=streams` for a kind's own tab. */
export function searchHref(query: string, tab: SearchTab = 'all'): string {
  const params = new URLSearchParams({ q: query });
  if (tab !== 'all') params.set('type', tab);
  return `/search?${params}`;
}

/** A tab's count as its label shows it: "3", or "100+" past the count's cap. */
export function countLabel(total: SearchCount): string {
  return total.capped ? `${total.count}+` : String(total.count);
}

/** The "All" tab's count: every kind added up, "+" when any kind was capped. */
export function allCount(results: SearchResults): SearchCount {
  const kinds = [results.streams.total, results.categories.total, results.people.total];
  return {
    count: kinds.reduce((sum, total) => sum + total.count, 0),
    capped: kinds.some((total) => total.capped),
  };
}
