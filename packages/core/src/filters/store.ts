import type { Executor } from '@app/db/client';
import { contentFilters, type FilterMode, type FilterTerm, streams } from '@app/db/schema';
import { eq, isNull } from 'drizzle-orm';
import { FILTERS_TOPIC, type FiltersChangedEvent } from '../events/filters.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { EventBus } from '../kernel/ports.ts';
import { type CompiledList, compileList, EMPTY_LIST } from './matcher.ts';

/** A word list as stored: the platform's (`channelId` null) or a channel's. */
export type FilterList = { terms: FilterTerm[]; englishPreset: FilterMode | null; updatedAt: Date | null };

export async function readList(db: Executor, channelId: string | null): Promise<FilterList> {
  const [row] = await db
    .select({
      terms: contentFilters.terms,
      englishPreset: contentFilters.englishPreset,
      updatedAt: contentFilters.updatedAt,
    })
    .from(contentFilters)
    .where(channelId === null ? isNull(contentFilters.channelId) : eq(contentFilters.channelId, channelId));
  return row ?? { terms: [], englishPreset: null, updatedAt: null };
}

/**
 * Compiled lists kept in this process, per database and bus: every text checked against them would otherwise
 * read and compile its lists again. An entry goes when its list changes (`filters.changed` on the bus, from any
 * node) or after `ENTRY_TTL_MS`, should a bus message be lost; a room's first text after that reads it again.
 */
type FilterCache = {
  lists: Map<string, { loaded: Promise<CompiledList>; at: number }>;
  /** A stream's channel never changes: kept apart from the lists, and not dropped on a change. */
  channels: Map<string, string>;
};

/** At most this many channels' lists (and streams' channels) are kept; the oldest goes first. */
const CACHE_MAX = 10_000;
/** The longest a compiled list is used without reading it again. */
const ENTRY_TTL_MS = 60_000;
const PLATFORM_KEY = 'platform';

const caches = new WeakMap<object, WeakMap<EventBus, FilterCache>>();

function cacheOf(deps: CoreDeps): FilterCache {
  let byBus = caches.get(deps.db);
  if (!byBus) {
    byBus = new WeakMap();
    caches.set(deps.db, byBus);
  }
  let cache = byBus.get(deps.bus);
  if (!cache) {
    const fresh: FilterCache = { lists: new Map(), channels: new Map() };
    deps.bus.subscribe(FILTERS_TOPIC, (event) => {
      if (event.type !== 'filters.changed') return;
      const { channelId } = event as unknown as FiltersChangedEvent;
      fresh.lists.delete(channelId ?? PLATFORM_KEY);
    });
    byBus.set(deps.bus, fresh);
    cache = fresh;
  }
  return cache;
}

function remember<V>(map: Map<string, V>, key: string, value: V) {
  if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/** Drops this node's compiled list at once; other nodes drop theirs when the change reaches them on the bus. */
export function forgetList(deps: CoreDeps, channelId: string | null) {
  cacheOf(deps).lists.delete(channelId ?? PLATFORM_KEY);
}

function compiled(deps: CoreDeps, channelId: string | null): Promise<CompiledList> {
  const cache = cacheOf(deps);
  const key = channelId ?? PLATFORM_KEY;
  const now = performance.now();
  const entry = cache.lists.get(key);
  if (entry && now - entry.at < ENTRY_TTL_MS) return entry.loaded;
  const loaded = readList(deps.db, channelId).then(
    (list) => compileList(list.terms, channelId === null ? list.englishPreset : null),
    (error: unknown) => {
      // A failed read is not kept: the next text tries again.
      if (cache.lists.get(key)?.loaded === loaded) cache.lists.delete(key);
      throw error;
    },
  );
  cache.lists.delete(key);
  remember(cache.lists, key, { loaded, at: now });
  return loaded;
}

async function channelOfStream(deps: CoreDeps, streamId: string): Promise<string | null> {
  const cache = cacheOf(deps);
  const known = cache.channels.get(streamId);
  if (known) return known;
  const [row] = await deps.db
    .select({ streamerId: streams.streamerId })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!row) return null;
  remember(cache.channels, streamId, row.streamerId);
  return row.streamerId;
}

/** Where a text is written: in a stream's room, in a channel's own words (its titles), or platform-wide only. */
export type FilterPlace = { streamId: string } | { channelId: string } | 'platform';

/** The lists that apply to a text written there: always the platform's, and the channel's when there is one. */
export async function listsFor(deps: CoreDeps, place: FilterPlace): Promise<CompiledList[]> {
  const platform = compiled(deps, null);
  if (place === 'platform') return [await platform];
  const channelId = 'channelId' in place ? place.channelId : await channelOfStream(deps, place.streamId);
  if (channelId === null) return [await platform];
  const [mine, theirs] = await Promise.all([platform, compiled(deps, channelId)]);
  return theirs === EMPTY_LIST ? [mine] : [mine, theirs];
}
