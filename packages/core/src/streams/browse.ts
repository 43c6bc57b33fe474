import type { Executor } from '@app/db/client';
import { streams, users } from '@app/db/schema';
import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import { type CoreDeps, cachedRead } from '../kernel/deps.ts';
import { audienceOf, type Viewer } from '../kernel/viewer.ts';
import { forgetRegionCache, regionTreeCache } from './region-cache.ts';
import type { FeaturedStreamsInput, LiveStreamsInput, StreamSort, UserStreamsInput } from './schemas.ts';
import { type StreamCard, streamCardQuery, toCards } from './views.ts';

export type StreamPage = { items: StreamCard[]; nextCursor: string | null };

/** A region and every region inside it (a continent's countries and their cities), from the cached tree. */
export async function regionWithDescendants(db: Executor, regionId: number): Promise<number[]> {
  let tree = await regionTreeCache(db);
  if (!tree.refs.has(regionId)) {
    // A region added since the tree was cached: look once more before saying it has nothing in it.
    forgetRegionCache(db);
    tree = await regionTreeCache(db);
  }
  return tree.inside.get(regionId) ?? [];
}

/**
 * The sort key of each order, written to match its partial index (`streams_live_*_idx`, all `DESC NULLS LAST`),
 * with the id breaking ties so keyset pages never skip or repeat a stream.
 */
const SORT_KEYS: Record<StreamSort, { column: SQL; cursorValue: SQL; kind: 'number' | 'timestamp' }> = {
  viewers: {
    column: sql`${streams.currentViewers}`,
    cursorValue: sql`${streams.currentViewers}`,
    kind: 'number',
  },
  trending: {
    column: sql`${streams.trendingScore}`,
    cursorValue: sql`${streams.trendingScore}`,
    kind: 'number',
  },
  newest: {
    column: sql`${streams.startedAt}`,
    cursorValue: sql`${streams.startedAt}::text`,
    kind: 'timestamp',
  },
};

/** Which NSFW streams a listing shows: omitted means safe-for-work unless the viewer is age-verified. */
export function nsfwFilter(nsfw: boolean | undefined, viewer: Viewer): SQL | undefined {
  // Constants, not parameters, so the planner sees them (as it must for the partial indexes' status too).
  if (nsfw === true) return sql`${streams.nsfw}`;
  if (nsfw === false || !viewer?.ageVerifiedAt) return sql`NOT ${streams.nsfw}`;
  return undefined;
}

/**
 * The `streams.live` query, exposed so benchmarks can EXPLAIN exactly what the procedure runs. Streams of banned
 * streamers are left out.
 */
export function liveStreamsQuery(
  db: Executor,
  input: LiveStreamsInput,
  viewer: Viewer,
  regionIds: number[] | null,
) {
  const key = SORT_KEYS[input.sort];
  let after: SQL | undefined;
  if (input.cursor) {
    const [value, id] =
      key.kind === 'number'
        ? decodeCursor(input.cursor, ['number', 'string'] as const)
        : decodeCursor(input.cursor, ['string', 'string'] as const);
    checkCursorParts({ uuid: [id], ...(key.kind === 'timestamp' ? { timestamp: [String(value)] } : {}) });
    const typed = key.kind === 'timestamp' ? sql`${value}::timestamptz` : sql`${value}`;
    after = sql`(${key.column}, ${streams.id}) < (${typed}, ${id}::uuid)`;
  }
  return streamCardQuery(db, sql<string | number>`${key.cursorValue}`)
    .where(
      and(
        sql`${streams.status} = 'live'`,
        input.categoryId ? eq(streams.categoryId, input.categoryId) : undefined,
        // One array parameter, so every region filter is the same statement text.
        regionIds ? sql`${streams.regionId} = ANY(${`{${regionIds.join(',')}}`}::int[])` : undefined,
        nsfwFilter(input.nsfw, viewer),
        after,
      ),
    )
    .orderBy(sql`${key.column} DESC NULLS LAST`, sql`${streams.id} DESC NULLS LAST`)
    .limit(input.limit + 1);
}

/**
 * Live streams by category and region (any level), viewers / newest / trending, one keyset page at a time. Every
 * viewer of the same audience gets the same page, so it is shared for a moment (see `cachedRead`).
 */
export function liveStreams(deps: CoreDeps, viewer: Viewer, input: LiveStreamsInput): Promise<StreamPage> {
  const key = `streams.live:${audienceOf(viewer)}:${JSON.stringify([
    input.sort,
    input.categoryId ?? null,
    input.regionId ?? null,
    input.nsfw ?? null,
    input.cursor ?? null,
    input.limit,
  ])}`;
  return cachedRead(deps, key, ['streams'], () => loadLiveStreams(deps, viewer, input));
}

async function loadLiveStreams(deps: CoreDeps, viewer: Viewer, input: LiveStreamsInput): Promise<StreamPage> {
  const regionIds = input.regionId ? await regionWithDescendants(deps.db, input.regionId) : null;
  if (regionIds?.length === 0) return { items: [], nextCursor: null };
  const key = SORT_KEYS[input.sort];
  // A prepared statement: planning this join costs more than running it, so plan each query shape once.
  const rows = await liveStreamsQuery(deps.db, input, viewer, regionIds).prepare('streams_live').execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: await toCards(deps.db, page, viewer, deps.clock.now()),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor([key.kind === 'number' ? Number(last.key) : String(last.key), last.id!])
        : null,
  };
}

/** The hero and featured row: the most trending live streams the viewer may see, one per streamer. */
export function featuredStreams(
  deps: CoreDeps,
  viewer: Viewer,
  input: FeaturedStreamsInput,
): Promise<StreamCard[]> {
  return cachedRead(deps, `streams.featured:${audienceOf(viewer)}:${input.limit}`, ['streams'], async () => {
    const rows = await liveStreamsQuery(deps.db, { sort: 'trending', limit: input.limit }, viewer, null);
    return toCards(deps.db, rows.slice(0, input.limit), viewer, deps.clock.now());
  });
}

/**
 * A profile's streams, newest first: live and ended ones for everyone, drafts for their owner too.
 */
export async function userStreams(
  deps: CoreDeps,
  viewer: Viewer,
  input: UserStreamsInput,
): Promise<StreamPage> {
  const [owner] = await deps.db
    .select({ bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!owner || owner.bannedAt) return { items: [], nextCursor: null };
  let after: SQL | undefined;
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, ['string', 'string'] as const);
    checkCursorParts({ uuid: [id], timestamp: [createdAt] });
    after = sql`(${streams.createdAt}, ${streams.id}) < (${createdAt}::timestamptz, ${id}::uuid)`;
  }
  const rows = await streamCardQuery(deps.db, sql<string>`${streams.createdAt}::text`)
    .where(
      and(
        eq(streams.streamerId, input.userId),
        viewer?.id === input.userId ? undefined : ne(streams.status, 'draft'),
        after,
      ),
    )
    .orderBy(sql`${streams.createdAt} DESC NULLS LAST`, sql`${streams.id} DESC NULLS LAST`)
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: await toCards(deps.db, page, viewer, deps.clock.now()),
    nextCursor: rows.length > input.limit && last ? encodeCursor([String(last.key), last.id!]) : null,
  };
}
