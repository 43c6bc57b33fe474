import { READS_TOPIC, toReadsChanged } from '../events/reads.ts';
import type { Clock } from '../kernel/deps.ts';
import type { EventBus, PublicChange, ReadCache } from '../kernel/ports.ts';

/**
 * How long an answer is served: about a second, so a change nobody announces shows soon. A busy answer is loaded
 * again from half its life, and served past it only while that load runs (at most as long again).
 */
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
  const counts = { hits: 0, misses: 0, joined: 0, refreshes: 0 };

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

  /** One load for `key`, shared by every caller until it settles; kept only if no change overtook it. */
  const startLoad = <T>(
    key: string,
    dependsOn: readonly PublicChange[],
    load: () => Promise<T>,
    now: number,
  ) => {
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
  };

  return {
    origin,
    get: <T>(key: string, dependsOn: readonly PublicChange[], load: () => Promise<T>): Promise<T> => {
      const now = clock.now().getTime();
      const entry = entries.get(key);
      const running = flights.get(key);
      const refreshing = running !== undefined && current(running);
      const age = entry ? now - entry.loadedAt : Number.POSITIVE_INFINITY;
      // An answer past its life is served only while the refresh it started before expiring is loading (a busy
      // key's callers do not all wait for it), and never past twice its life or after a change it depends on.
      if (entry && current(entry) && (age < ttlMs || (refreshing && age < 2 * ttlMs))) {
        counts.hits += 1;
        // Past half its life a busy answer is loaded again while it is still served. A failed refresh is the
        // next caller's to retry.
        if (age >= ttlMs / 2 && !refreshing) {
          counts.refreshes += 1;
          startLoad(key, dependsOn, load, now).catch(() => {});
        }
        return Promise.resolve(entry.value as T);
      }
      if (entry) entries.delete(key);
      if (refreshing) {
        counts.joined += 1;
        return running.promise as Promise<T>;
      }
      counts.misses += 1;
      return startLoad(key, dependsOn, load, now);
    },
    invalidate,
    stats: () => ({ ...counts, entries: entries.size }),
    close: stop,
  };
}
