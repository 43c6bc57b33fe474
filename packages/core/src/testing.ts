import { type UserRole, userLevels, users } from '@app/db/schema';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { DEFAULT_ECONOMY } from './economy/config.ts';
import { createSession, DEFAULT_SESSIONS } from './identity/session.ts';
import { createMemoryBus } from './infra/bus.ts';
import { createMemoryPresence } from './infra/presence.ts';
import { createMemoryLimiters, DEFAULT_RATE_LIMITS } from './infra/rate-limits.ts';
import { createReadCache } from './infra/read-cache.ts';
import { connectRedis } from './infra/redis.ts';
import {
  type Clock,
  type CoreDeps,
  type ProjectionRedis,
  type SessionConfig,
  type StreamsConfig,
  systemClock,
} from './kernel/deps.ts';
import { DomainError } from './kernel/errors.ts';
import type {
  EconomyConfig,
  EventBus,
  LivekitDeps,
  Presence,
  RateLimiters,
  ReadCache,
  StripeDeps,
} from './kernel/ports.ts';
import { createLivekit } from './streams/livekit.ts';

export { type BrowseFixture, seedBrowseFixture } from './streams/browse-fixture.ts';
export {
  type FakeLivekit,
  livekitEvent,
  signedLivekitWebhook,
  startFakeLivekit,
} from './streams/livekit-fake.ts';

export type TestDeps = CoreDeps & { database: TestDatabase };

/** LiveKit's dev keys on a port nobody listens on (port 9, discard). */
export const UNREACHABLE_LIVEKIT = { url: 'ws://127.0.0.1:9', apiKey: 'devkey', apiSecret: 'secret' };

/** Core dependencies over a fresh database of this test file's own on the local Postgres. */
export async function createTestDeps(
  options: {
    clock?: Clock;
    limiters?: RateLimiters;
    bus?: EventBus;
    presence?: Presence;
    economy?: Partial<EconomyConfig>;
    sessions?: Partial<SessionConfig>;
    stripe?: StripeDeps | null;
    /** Defaults to development: a stream goes live without a media server. */
    streams?: Partial<StreamsConfig>;
    /** Defaults to dev keys and a port where nothing listens: calls fail as with no media server. */
    livekit?: LivekitDeps;
    /** Redis for boards and kings (see `testRedis`); none by default, as in embedded development. */
    redis?: ProjectionRedis | null;
    /** A read cache over this deps' bus and clock by default, as the server runs; null for none. */
    reads?: ReadCache | null;
  } = {},
): Promise<TestDeps> {
  const database = await createTestDatabase();
  const clock = options.clock ?? systemClock;
  const bus = options.bus ?? createMemoryBus();
  return {
    db: database.db,
    database,
    clock,
    limiters: options.limiters ?? createMemoryLimiters(DEFAULT_RATE_LIMITS),
    bus,
    presence: options.presence ?? createMemoryPresence(),
    economy: { ...DEFAULT_ECONOMY, ...options.economy },
    sessions: { ...DEFAULT_SESSIONS, ...options.sessions },
    stripe: options.stripe ?? null,
    streams: { liveWithoutMedia: true, ...options.streams },
    livekit: options.livekit ?? createLivekit(UNREACHABLE_LIVEKIT),
    redis: options.redis ?? null,
    reads: options.reads === undefined ? await createReadCache(bus, clock) : options.reads,
  };
}

/**
 * Core dependencies over an in-memory embedded database (PGlite), migrated, as `bun run dev` runs without a
 * DATABASE_URL; `close` ends it.
 */
export async function createEmbeddedTestDeps(): Promise<CoreDeps & { close: () => Promise<void> }> {
  const { createDatabase, migrateDatabase } = await import('@app/db/client');
  const handle = await createDatabase({});
  await migrateDatabase(handle);
  return {
    db: handle.db,
    clock: systemClock,
    limiters: createMemoryLimiters(DEFAULT_RATE_LIMITS),
    bus: createMemoryBus(),
    presence: createMemoryPresence(),
    economy: DEFAULT_ECONOMY,
    sessions: DEFAULT_SESSIONS,
    stripe: null,
    streams: { liveWithoutMedia: true },
    livekit: createLivekit(UNREACHABLE_LIVEKIT),
    redis: null,
    close: () => handle.close(),
  };
}

/**
 * The local Redis (127.0.0.1:6379, or TEST_REDIS_URL) under a prefix of this test's own, so test files never see
 * each other's keys; `flush` deletes every key under the prefix.
 */
export async function testRedis(): Promise<ProjectionRedis & { flush: () => Promise<void> }> {
  const client = await connectRedis(Bun.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `test:${crypto.randomUUID().slice(0, 8)}:`;
  const flush = async () => {
    let cursor = '0';
    do {
      const [next, keys] = (await client.send('SCAN', [cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'])) as [
        string,
        string[],
      ];
      cursor = next;
      if (keys.length > 0) await client.send('UNLINK', keys);
    } while (cursor !== '0');
  };
  return { client, prefix, flush };
}

/** The domain error `promise` is refused with; fails the test when it succeeds or fails otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A clock tests move by hand. */
export function manualClock(start = new Date('2026-06-01T12:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';
/** Cheap argon2id parameters: the same algorithm as production, a fraction of its cost. */
const fastHash = await Bun.password.hash(TEST_PASSWORD, {
  algorithm: 'argon2id',
  memoryCost: 1024,
  timeCost: 1,
});

let counter = 0;

/** Inserts a user with a role (and optionally banned) whose password is `TEST_PASSWORD`, plus a session token. */
export async function createTestUser(
  deps: CoreDeps,
  options: {
    role?: UserRole;
    banned?: boolean;
    ageVerified?: boolean;
    dateOfBirth?: string;
    username?: string;
  } = {},
) {
  counter += 1;
  const username = options.username ?? `user_${process.pid}_${counter}`;
  const [user] = await deps.db
    .insert(users)
    .values({
      username,
      email: `${username}@example.com`,
      passwordHash: fastHash,
      displayName: `User ${counter}`,
      role: options.role ?? 'viewer',
      dateOfBirth: options.dateOfBirth ?? '1990-04-25',
      ageVerifiedAt: options.ageVerified || options.role === 'streamer' ? deps.clock.now() : null,
      streamerSince: options.role === 'streamer' ? deps.clock.now() : null,
    })
    .returning();
  await deps.db.insert(userLevels).values({ userId: user!.id });
  const { token, session } = await createSession(deps.db, deps.clock, user!.id);
  if (options.banned) {
    const { banUser } = await import('./moderation/platform-ban.ts');
    const admin = await createTestUser(deps, { role: 'admin' });
    await banUser(deps, admin.user.id, user!.id, 'test ban');
  }
  return { user: user!, token, sessionId: session.id };
}

export * from './economy/testing.ts';

/** A stream owned by `streamerId`, live unless told otherwise. */
export async function createTestStream(
  deps: CoreDeps,
  streamerId: string,
  options: { status?: 'draft' | 'live' | 'ended'; title?: string; nsfw?: boolean } = {},
) {
  const { streams } = await import('@app/db/schema');
  const status = options.status ?? 'live';
  const [stream] = await deps.db
    .insert(streams)
    .values({
      streamerId,
      title: options.title ?? 'Test stream',
      status,
      nsfw: options.nsfw ?? false,
      livekitRoom: `stream-${crypto.randomUUID()}`,
      startedAt: status === 'draft' ? null : deps.clock.now(),
      endedAt: status === 'ended' ? deps.clock.now() : null,
    })
    .returning();
  return stream!;
}
