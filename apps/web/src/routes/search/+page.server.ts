import { readApiError, USER_LIMITS } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The API refuses longer queries. */
const MAX_QUERY_LENGTH = USER_LIMITS.searchMax;
const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
  const query = (event.url.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  if (!query) return { query, results: null, problem: null };
  try {
    const results = await serverApi(event).users.search.query({ query, limit: PAGE_SIZE });
    return { query, results, problem: null };
  } catch (cause) {
    // Shown in place of the results, so the search box stays usable.
    return { query, results: null, problem: readApiError(cause).message };
  }
};
