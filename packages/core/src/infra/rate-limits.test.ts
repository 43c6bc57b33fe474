import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { RedisClient } from 'bun';
import type { RateLimiters, RateLimitRules } from '../kernel/ports.ts';
import { createMemoryLimiters, createRedisLimiters, DEFAULT_RATE_LIMITS } from './rate-limits.ts';
import { connectRedis } from './redis.ts';
import { upstashOverTcp } from './upstash.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const rules: RateLimitRules = {
  ...DEFAULT_RATE_LIMITS,
  loginByIp: { count: 4, windowSeconds: 60 },
  loginByAccount: { count: 2, windowSeconds: 60 },
  registerByIp: { count: 1, windowSeconds: 60 },
};

let redis: RedisClient;
const prefix = `lumen-test:${process.pid}:${Date.now()}`;

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
});
afterAll(async () => {
  const keys = (await redis.send('KEYS', [`${prefix}*`])) as string[];
  if (keys.length > 0) await redis.send('DEL', keys);
  redis.close();
});

function behavesAsALimiter(make: () => RateLimiters) {
  test('allows the configured count, then refuses with a retry time, per key', async () => {
    const limiters = make();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiters.loginByIp.limit('203.0.113.7'));
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, false]);
    expect(results[4]!.retryAfterSeconds).toBeGreaterThan(0);
    expect(results[4]!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limiters.loginByIp.limit('198.51.100.1')).success).toBe(true);
  });

  test('reset forgets a key', async () => {
    const limiters = make();
    await limiters.loginByAccount.limit('nova');
    await limiters.loginByAccount.limit('nova');
    expect((await limiters.loginByAccount.limit('nova')).success).toBe(false);
    await limiters.loginByAccount.reset('nova');
    expect((await limiters.loginByAccount.limit('nova')).success).toBe(true);
  });
}

describe('Redis limiters (@upstash/ratelimit over the real Redis)', () => {
  let run = 0;
  behavesAsALimiter(() => createRedisLimiters(upstashOverTcp(redis), rules, `${prefix}:${++run}`));

  test('two server nodes share one budget', async () => {
    const shared = `${prefix}:shared`;
    const nodeA = createRedisLimiters(upstashOverTcp(redis), rules, shared);
    const other = await connectRedis(REDIS_URL);
    const nodeB = createRedisLimiters(upstashOverTcp(other), rules, shared);
    expect((await nodeA.registerByIp.limit('192.0.2.1')).success).toBe(true);
    expect((await nodeB.registerByIp.limit('192.0.2.1')).success).toBe(false);
    other.close();
  });
});

describe('in-process limiters', () => {
  behavesAsALimiter(() => createMemoryLimiters(rules));
});
