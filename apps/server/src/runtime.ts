import { join } from 'node:path';
import {
  type CoreDeps,
  connectRedis,
  createLivekit,
  createMemoryBus,
  createMemoryLimiters,
  createMemoryPresence,
  createReadCache,
  createRedisBus,
  createRedisLimiters,
  createRedisPresence,
  createStripe,
  DEFAULT_ECONOMY,
  DEFAULT_RATE_LIMITS,
  type RateLimitRules,
  type StripeDeps,
  systemClock,
  upstashOverTcp,
} from '@app/core';
import { createDatabase, type DatabaseHandle, migrateDatabase } from '@app/db/client';
import { Redis as UpstashRedis } from '@upstash/redis';
import type { RedisClient } from 'bun';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';

/** The server's connections and core dependencies, opened once at start and closed on shutdown. */
export type Runtime = {
  deps: CoreDeps;
  database: DatabaseHandle;
  redis: RedisClient | null;
  close: () => Promise<void>;
};

export async function createRuntime(env: Env, log: Logger): Promise<Runtime> {
  const database = await openDatabase(env, log);
  const redis = env.REDIS_URL ? await connectRedis(env.REDIS_URL) : null;
  const rules: RateLimitRules = {
    ...DEFAULT_RATE_LIMITS,
    chatByUser: { ...DEFAULT_RATE_LIMITS.chatByUser, count: env.CHAT_USER_LIMIT },
    chatByRoom: { ...DEFAULT_RATE_LIMITS.chatByRoom, count: env.CHAT_ROOM_LIMIT },
  };
  const limiters = env.UPSTASH_REDIS_REST_URL
    ? createRedisLimiters(
        new UpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN ?? '' }),
        rules,
      )
    : redis
      ? createRedisLimiters(upstashOverTcp(redis), rules)
      : createMemoryLimiters(rules);
  const bus = redis ? await createRedisBus(redis) : createMemoryBus();
  // Public reads shared for a moment; the bus carries their invalidations to every node.
  const reads = await createReadCache(bus, systemClock);
  const presence = redis
    ? createRedisPresence(redis, { ttlSeconds: env.PRESENCE_TTL_SECONDS })
    : createMemoryPresence();
  log.info('runtime ready', {
    database: database.kind,
    redis: redis ? 'connected' : 'not configured (in-process bus and limits)',
    rateLimits: env.UPSTASH_REDIS_REST_URL ? 'upstash rest' : redis ? 'redis' : 'in-process',
    payments: env.STRIPE_SECRET_KEY ? 'stripe' : 'not configured (purchases disabled)',
    livekit: env.LIVEKIT_URL,
  });
  return {
    deps: {
      db: database.db,
      clock: systemClock,
      limiters,
      bus,
      presence,
      economy: {
        ...DEFAULT_ECONOMY,
        payoutCentsPerToken: env.PAYOUT_CENTS_PER_TOKEN,
        minWithdrawalTokens: env.MIN_WITHDRAWAL_TOKENS,
        maxTipTokens: env.MAX_TIP_TOKENS,
        earningsHoldHours: env.EARNINGS_HOLD_HOURS,
        tipQueueMax: env.TIP_QUEUE_MAX,
      },
      sessions: { inactivitySeconds: env.SESSION_INACTIVITY_SECONDS },
      stripe: stripeFrom(env),
      // Development goes live without a media server (chat, tips and goals, no video); production refuses.
      streams: { liveWithoutMedia: env.NODE_ENV !== 'production' },
      livekit: createLivekit({
        url: env.LIVEKIT_URL,
        apiKey: env.LIVEKIT_API_KEY,
        apiSecret: env.LIVEKIT_API_SECRET,
        apiUrl: env.LIVEKIT_API_URL,
      }),
      redis: redis ? { client: redis, prefix: '' } : null,
      reads,
    },
    database,
    redis,
    close: async () => {
      reads.close();
      await bus.close();
      redis?.close();
      await database.close();
    },
  };
}

function stripeFrom(env: Env): StripeDeps | null {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return null;
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return createStripe({
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? null,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port) || undefined,
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

async function openDatabase(env: Env, log: Logger): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) {
    const database = await createDatabase({ url: env.DATABASE_URL, maxConnections: env.DATABASE_POOL_SIZE });
    if (env.NODE_ENV !== 'production') await migrateDatabase(database);
    return database;
  }
  const dataDir = join(env.DATA_DIR, 'pglite');
  log.info('no DATABASE_URL: using the embedded database', { dataDir });
  const database = await createDatabase({ dataDir });
  await migrateDatabase(database);
  const { seedDatabase } = await import('@app/db/seed');
  const summary = await seedDatabase(database.db, { log: (line) => log.info(line) });
  if (summary.seeded) log.info('seeded demo data', { counts: summary.counts });
  return database;
}
