import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, type TestDeps } from '@app/core/testing';
import { createDatabase, type DatabaseHandle } from '@app/db/client';
import { RedisClient } from 'bun';
import type { Logger } from '../logger.ts';
import { health } from './health.ts';

let deps: TestDeps;
let unreachable: DatabaseHandle;
let deadRedis: RedisClient;

beforeAll(async () => {
  deps = await createTestDeps();
  // Port 1 refuses connections: the database and Redis are down, with credentials in their URLs.
  unreachable = await createDatabase({ url: 'postgres://lumen:hunter2@127.0.0.1:1/lumen' });
  deadRedis = new RedisClient('redis://:hunter2@127.0.0.1:1', {
    autoReconnect: false,
    connectionTimeout: 500,
  });
});
afterAll(async () => {
  deadRedis.close();
  await deps.database.drop();
});

function recordingLogger() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields });
  const log: Logger = { debug: record, info: record, warn: record, error: record };
  return { log, lines };
}

const healthz = (database: DatabaseHandle, redis: RedisClient | null, log: Logger) =>
  health({ deps, database, redis, close: async () => {} }, log).handle(
    new Request('http://localhost/healthz'),
  );

describe('/healthz', () => {
  test('says up for a working database, and that Redis is not configured', async () => {
    const { log } = recordingLogger();
    const response = await healthz(deps.database, null, log);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', redis: 'not configured' });
  });

  test('tells anyone only up or down; why it is down goes to the log', async () => {
    const { log, lines } = recordingLogger();
    const response = await healthz(unreachable, deadRedis, log);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded', database: 'down', redis: 'down' });
    expect(text).not.toMatch(/127\.0\.0\.1|hunter2|ECONNREFUSED|refused|error/i);
    expect(lines.map((line) => line.fields?.dependency).sort()).toEqual(['database', 'redis']);
    const databaseLine = lines.find((line) => line.fields?.dependency === 'database')!;
    expect(String(databaseLine.fields?.error).length).toBeGreaterThan(0);
  });
});
