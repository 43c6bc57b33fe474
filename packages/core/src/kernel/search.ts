import { USER_LIMITS } from './limits.ts';
import { plainText } from './text.ts';

/**
 * What a person typed into a search box, by the one text rule: trimmed, normalised, no control characters, and at
 * most `USER_LIMITS.searchMax` long (the browser's boxes stop there too).
 */
export const searchQuerySchema = plainText({
  label: 'The search',
  min: 1,
  max: USER_LIMITS.searchMax,
  messages: { empty: 'Type something to search for.', tooLong: 'That search is too long.' },
});

/** How far a result count is taken: past this a tab says "100+", so counting never scans a whole table. */
export const SEARCH_COUNT_CAP = 100;

/**
 * An `ILIKE` pattern matching any text that contains `query` as typed: `%`, `_` and the escape character itself
 * are escaped (backslash is `LIKE`'s default escape), so "100%" finds "100%" and not "1000".
 */
export function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** How many results a search has, counted up to `SEARCH_COUNT_CAP`; `capped` when there are more than that. */
export type SearchCount = { count: number; capped: boolean };

/** The rows to count: at most one past the cap, so the count can say "more than". */
export const SEARCH_COUNT_ROWS = SEARCH_COUNT_CAP + 1;

export function searchCount(rows: number): SearchCount {
  return { count: Math.min(rows, SEARCH_COUNT_CAP), capped: rows > SEARCH_COUNT_CAP };
}
