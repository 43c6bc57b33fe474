import { readApiError, USER_LIMITS } from '@app/api/client';
import { parseSearchTab, SEARCH_TAB_LIMITS } from '#lib/search.ts';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The API refuses longer queries. */
const MAX_QUERY_LENGTH = USER_LIMITS.searchMax;

export const load: PageServerLoad = async (event) => {
  const query = (event.url.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  const tab = parseSearchTab(event.url.searchParams);
  if (!query) return { query, tab, results: null, problem: null };
  try {
    // Every kind is asked for on every tab, so each tab's count is there to show.
    const results = await serverApi(event).search.all.query({ query, limit: SEARCH_TAB_LIMITS[tab] });
    return { query, tab, results, problem: null };
  } catch (cause) {
    // Shown in place of the results, so the search box stays usable.
    return { query, tab, results: null, problem: readApiError(cause).message };
  }
};
