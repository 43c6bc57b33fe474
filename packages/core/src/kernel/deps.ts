import type { Database } from '@app/db/client';
import type { RedisClient } from 'bun';
import type {
  EconomyConfig,
  EventBus,
  LivekitDeps,
  Presence,
  PublicChange,
  RateLimiters,
  ReadCache,
  StripeDeps,
} from './ports.ts';

export type Clock = { now: () => Date };

export type SessionConfig = {
  /** A session unused for this long is gone (Lucia's sliding expiry: use refreshes it). */
  inactivitySeconds: number;
};
/**
 * How streams behave without a media server. In development a stream may go live while LiveKit is not
 * answering (chat, tips and goals work; no video is sent); in production going live then is refused.
 */
export type StreamsConfig = {
  liveWithoutMedia: boolean;
};

export const systemClock: Clock = { now: () => new Date() };

/** Everything a use case needs, passed in explicitly so tests can supply real parts of their own. */
export type CoreDeps = {
  db: Database;
  clock: Clock;
  limiters: RateLimiters;
  /** Announces committed changes to live subscribers. */
  bus: EventBus;
  /** Live subscriber counts per stream, shared by every node. */
  presence: Presence;
  economy: EconomyConfig;
  sessions: SessionConfig;
  /** Null when no Stripe keys are configured: purchases are then refused with a clear message. */
  stripe: StripeDeps | null;
  streams: StreamsConfig;
  /** LiveKit: join tokens, the Twirp API (rooms, ingress) and the webhook verifier. */
  livekit: LivekitDeps;
  /**
   * Redis for the room economy's sorted sets (boards, kings), every key under `prefix`; null without Redis, when the
   * boards come from Postgres's rollup.
   */
  redis: ProjectionRedis | null;
  /**
   * Public reads (live streams, categories, regions, board tops) held for about a second and forgotten when what
   * they show changes; absent, every read goes to the database.
   */
  reads?: ReadCache | null;
};

export type ProjectionRedis = { client: RedisClient; prefix: string };

/**
 * A public read through the node's read cache, when it has one. `key` must name everything the answer depends on:
 * the read, its input, and what of the viewer changes it (see `audienceOf`).
 */
export function cachedRead<T>(
  deps: Pick<CoreDeps, 'reads'>,
  key: string,
  dependsOn: readonly PublicChange[],
  load: () => Promise<T>,
): Promise<T> {
  return deps.reads ? deps.reads.get(key, dependsOn, load) : load();
}
