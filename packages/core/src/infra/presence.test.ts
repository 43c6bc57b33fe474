import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { RedisClient } from 'bun';
import { createRedisPresence } from './presence.ts';
import { connectRedis } from './redis.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: RedisClient;
const prefix = `lumen-test:${process.pid}:${Date.now()}:`;

beforeAll(async () => {
  redis = await connectRedis(REDIS_URL);
});
afterAll(async () => {
  const keys = (await redis.send('KEYS', [`${prefix}*`])) as string[];
  if (keys.length > 0) await redis.send('DEL', keys);
  redis.close();
});

const viewers = (prefixOf: string, n: number) => Array.from({ length: n }, (_, i) => `${prefixOf}${i}`);

describe('presence in Redis', () => {
  test('counts every live node’s viewers; a node that stops its heartbeat drops out when its key expires', async () => {
    const streamId = crypto.randomUUID();
    const a = createRedisPresence(redis, { prefix, ttlSeconds: 1 });
    const b = createRedisPresence(redis, { prefix, ttlSeconds: 30 });
    await Promise.all([a.heartbeat(), b.heartbeat()]);
    await a.report(streamId, viewers('a', 3));
    await b.report(streamId, viewers('b', 4));
    expect(await a.count(streamId)).toBe(7);
    expect(await b.count(streamId)).toBe(7);
    // A crashes: no more heartbeats; its key expires after 1 s.
    await Bun.sleep(1200);
    expect(await b.count(streamId)).toBe(4);
    await b.report(streamId, []);
    expect(await b.count(streamId)).toBe(0);
  });

  test('a viewer held by two nodes counts once; a node’s new report replaces its old one', async () => {
    const streamId = crypto.randomUUID();
    const a = createRedisPresence(redis, { prefix });
    const b = createRedisPresence(redis, { prefix });
    await Promise.all([a.heartbeat(), b.heartbeat()]);
    await a.report(streamId, ['user:ana', 'ip:10.0.0.1']);
    await b.report(streamId, ['user:ana', 'user:ben']);
    expect(await a.count(streamId)).toBe(3);
    await b.report(streamId, ['user:ana']);
    expect(await b.count(streamId)).toBe(2);
    await a.report(streamId, []);
    expect(await b.count(streamId)).toBe(1);
  });

  test('leaving takes a node out at once', async () => {
    const streamId = crypto.randomUUID();
    const a = createRedisPresence(redis, { prefix });
    const b = createRedisPresence(redis, { prefix });
    await Promise.all([a.heartbeat(), b.heartbeat()]);
    await a.report(streamId, viewers('a', 2));
    await b.report(streamId, viewers('b', 5));
    await a.leave();
    expect(await b.count(streamId)).toBe(5);
  });

  test('one node at a time leads a stream; another takes over when the leader is gone', async () => {
    const streamId = crypto.randomUUID();
    const a = createRedisPresence(redis, { prefix });
    const b = createRedisPresence(redis, { prefix });
    expect(await a.lead(streamId)).toBe(true);
    expect(await b.lead(streamId)).toBe(false);
    expect(await a.lead(streamId)).toBe(true);
    await redis.send('DEL', [`${prefix}presence-leader:${streamId}`]);
    expect(await b.lead(streamId)).toBe(true);
    expect(await a.lead(streamId)).toBe(false);
  });
});
