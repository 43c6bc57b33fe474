import { z } from 'zod';
import type { PublicUser } from '../identity/user-views.ts';
import { searchUsersCounted } from '../identity/users.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { type SearchCount, searchCount, searchQuerySchema } from '../kernel/search.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { type CategoryView, searchCategories } from '../streams/categories.ts';
import { searchStreamsCounted } from '../streams/search.ts';
import type { StreamCard } from '../streams/views.ts';

/** Results of each kind one search returns at most: the typeahead asks for a few, a `/search` tab for a page. */
export const SEARCH_LIMITS = { perKindMax: 50, perKindDefault: 6 } as const;

export const searchEverythingInput = z
  .object({
    query: searchQuerySchema,
    limit: z.number().int().min(1).max(SEARCH_LIMITS.perKindMax).default(SEARCH_LIMITS.perKindDefault),
  })
  .strict();
export type SearchEverythingInput = z.infer<typeof searchEverythingInput>;

/** The first results of one kind, how many there are in all, and where the next page starts (null: no more). */
export type SearchSection<T> = { items: T[]; total: SearchCount; nextCursor: string | null };

export type SearchResults = {
  query: string;
  streams: SearchSection<StreamCard>;
  categories: SearchSection<CategoryView>;
  people: SearchSection<PublicUser>;
};

/**
 * One search across live streams (title, tags), categories (name) and people (name, username), each kind by its
 * own feature's rules: what the viewer may not see is neither listed nor counted. The next pages of streams and
 * people come from `searchStreams` and `searchUsers` with the returned cursors.
 */
export async function searchEverything(
  deps: CoreDeps,
  viewer: Viewer,
  input: SearchEverythingInput,
): Promise<SearchResults> {
  const { query, limit } = input;
  // One read per kind: the first page and the count come from the same rows.
  const [streams, categories, people] = await Promise.all([
    searchStreamsCounted(deps, viewer, { query, limit }),
    searchCategories(deps, query),
    searchUsersCounted(deps, { query, limit }),
  ]);
  return {
    query,
    streams,
    categories: {
      items: categories.slice(0, limit),
      total: searchCount(categories.length),
      nextCursor: null,
    },
    people,
  };
}
