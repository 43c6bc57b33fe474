import { join } from 'node:path';
import {
  type CoreDeps,
  connectRedis,
  createMemoryBus,
  createMemoryLimiters,
  createRedisBus,
  createRedisLimiters,
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
  const limiters = env.UPSTASH_REDIS_REST_URL
    ? createRedisLimiters(
        new UpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN ?? '' }),
      )
    : redis
      ? createRedisLimiters(upstashOverTcp(redis))
      : createMemoryLimiters();
  const bus = redis ? await createRedisBus(redis) : createMemoryBus();
  log.info('runtime ready', {
    database: database.kind,
    redis: redis ? 'connected' : 'not configured (in-process bus and limits)',
    rateLimits: env.UPSTASH_REDIS_REST_URL ? 'upstash rest' : redis ? 'redis' : 'in-process',
  });
  return {
    deps: { db: database.db, clock: systemClock, limiters, bus },
    database,
    redis,
    close: async () => {
      await bus.close();
      redis?.close();
      await database.close();
    },
  };
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
