import { streams } from '@app/db/schema';
import { and, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import {
  containsPattern,
  SEARCH_COUNT_ROWS,
  type SearchCount,
  searchCount,
  searchQuerySchema,
} from '../kernel/search.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { nsfwFilter, type StreamPage } from './browse.ts';
import { STREAM_LIMITS } from './schemas.ts';
import { streamCardQuery, toCards } from './views.ts';

export const searchStreamsInput = z
  .object({
    query: searchQuerySchema,
    cursor: z.string().max(STREAM_LIMITS.cursorMax, 'That page cursor is not valid.').nullish(),
    limit: z.number().int().min(1).max(STREAM_LIMITS.pageMax).default(STREAM_LIMITS.pageDefault),
  })
  .strict();
export type SearchStreamsInput = z.infer<typeof searchStreamsInput>;

/**
 * The streams a search finds: live (never a draft or an ended one), by a streamer who is not banned (the card
 * query's join), NSFW only for an age-verified viewer, with the query in the title or in one of the tags. Only live
 * rows are read (the `streams_live_*` partial indexes), a set bounded by who is on air now.
 */
function streamMatches(query: string, viewer: Viewer): SQL | undefined {
  const pattern = containsPattern(query);
  return and(
    sql`${streams.status} = 'live'`,
    nsfwFilter(undefined, viewer),
    sql`(${streams.title} ILIKE ${pattern} OR EXISTS (SELECT 1 FROM unnest(${streams.tags}) AS tag WHERE tag ILIKE ${pattern}))`,
  );
}

/**
 * Up to `take` matching streams, most watched first, after the cursor's stream: the rows a page needs, or enough
 * to count to the cap as well (one read of the live streams instead of two).
 */
async function matchingStreams(deps: CoreDeps, viewer: Viewer, input: SearchStreamsInput, take: number) {
  let after: SQL | undefined;
  if (input.cursor) {
    const [viewers, id] = decodeCursor(input.cursor, ['number', 'string'] as const);
    checkCursorParts({ uuid: [id] });
    after = sql`(${streams.currentViewers}, ${streams.id}) < (${viewers}, ${id}::uuid)`;
  }
  return streamCardQuery(deps.db, sql<number>`${streams.currentViewers}`)
    .where(and(streamMatches(input.query, viewer), after))
    .orderBy(sql`${streams.currentViewers} DESC NULLS LAST`, sql`${streams.id} DESC NULLS LAST`)
    .limit(take);
}

/** Live streams matching the search, most watched first, one keyset page at a time. */
export async function searchStreams(
  deps: CoreDeps,
  viewer: Viewer,
  input: SearchStreamsInput,
): Promise<StreamPage> {
  return toPage(deps, viewer, input.limit, await matchingStreams(deps, viewer, input, input.limit + 1));
}

/** The first page of `searchStreams`, with how many streams match in all (up to the cap). */
export async function searchStreamsCounted(
  deps: CoreDeps,
  viewer: Viewer,
  input: Omit<SearchStreamsInput, 'cursor'>,
): Promise<StreamPage & { total: SearchCount }> {
  const rows = await matchingStreams(deps, viewer, input, Math.max(SEARCH_COUNT_ROWS, input.limit + 1));
  return { ...(await toPage(deps, viewer, input.limit, rows)), total: searchCount(rows.length) };
}

async function toPage(
  deps: CoreDeps,
  viewer: Viewer,
  limit: number,
  rows: Awaited<ReturnType<typeof matchingStreams>>,
): Promise<StreamPage> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await toCards(deps.db, page, viewer, deps.clock.now()),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last.key), last.id!]) : null,
  };
}
