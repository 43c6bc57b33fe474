import { READS_TOPIC, toReadsChanged } from '../events/reads.ts';
import type { Clock } from '../kernel/deps.ts';
import type { EventBus, PublicChange, ReadCache } from '../kernel/ports.ts';

/** How long an answer is served without asking again: about a second, so a missed invalidation heals quickly. */
export const READ_CACHE_TTL_MS = 1_000;
/** Answers held at most; the oldest goes first (distinct page cursors alone could grow it without end). */
export const READ_CACHE_MAX_ENTRIES = 10_000;

/**
 * Which announcements an answer was loaded after: one counter per change, moved by every invalidation. An answer
 * (or a load in flight) whose counters moved is stale, so a load that raced a change is never kept.
 */
type Stamp = { dependsOn: readonly PublicChange[]; generations: number[] };
type Entry = Stamp & { value: unknown; loadedAt: number };
type Flight = Stamp & { promise: Promise<unknown> };

export async function createReadCache(
  bus: EventBus,
  clock: Clock,
  options: { ttlMs?: number; maxEntries?: number } = {},
): Promise<ReadCache> {
  const ttlMs = options.ttlMs ?? READ_CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? READ_CACHE_MAX_ENTRIES;
  const origin = crypto.randomUUID();
  const generation: Record<PublicChange, number> = { streams: 0, boards: 0 };
  const entries = new Map<string, Entry>();
  const flights = new Map<string, Flight>();
  const counts = { hits: 0, misses: 0, joined: 0 };

  const stampOf = (dependsOn: readonly PublicChange[]): Stamp => ({
    dependsOn,
    generations: dependsOn.map((change) => generation[change]),
  });
  const current = (stamp: Stamp) =>
    stamp.dependsOn.every((change, index) => generation[change] === stamp.generations[index]);

  const store = (key: string, entry: Entry) => {
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
  };

  const invalidate = (changes: readonly PublicChange[]) => {
    for (const change of changes) generation[change] += 1;
  };

  const stop = bus.subscribe(READS_TOPIC, (raw) => {
    const event = toReadsChanged(raw);
    if (event && event.origin !== origin) invalidate(event.changes);
  });
  await bus.ready(READS_TOPIC);

  return {
    origin,
    get: <T>(key: string, dependsOn: readonly PublicChange[], load: () => Promise<T>): Promise<T> => {
      const now = clock.now().getTime();
      const entry = entries.get(key);
      if (entry && now - entry.loadedAt < ttlMs && current(entry)) {
        counts.hits += 1;
        return Promise.resolve(entry.value as T);
      }
      if (entry) entries.delete(key);
      const running = flights.get(key);
      if (running && current(running)) {
        counts.joined += 1;
        return running.promise as Promise<T>;
      }
      counts.misses += 1;
      const stamp = stampOf(dependsOn);
      const done = () => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      let loading: Promise<T>;
      try {
        loading = load();
      } catch (error) {
        loading = Promise.reject(error);
      }
      const promise = loading.then(
        (value) => {
          done();
          // What was read before the last announcement of its changes is not kept.
          if (current(stamp)) store(key, { ...stamp, value, loadedAt: now });
          return value;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
      const flight: Flight = { ...stamp, promise };
      flights.set(key, flight);
      return promise;
    },
    invalidate,
    stats: () => ({ ...counts, entries: entries.size }),
    close: stop,
  };
}
