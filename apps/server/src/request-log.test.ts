import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, type TestDeps } from '@app/core/testing';
import { type App, createApp } from './app.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

const WEB = 'http://localhost:5173';
let deps: TestDeps;
let app: App;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp({
    runtime: { deps, database: deps.database, redis: null, close: async () => {} },
    env: parseEnv({ DATABASE_URL: deps.database.url }),
    log: createLogger('info', (line) => lines.push(JSON.parse(line))),
  });
});
afterAll(() => deps.database.drop());

/** Sends a request with its own id and returns the status the client got and the status its log line records. */
async function statuses(path: string, body: string): Promise<{ sent: number; logged: unknown }> {
  const requestId = crypto.randomUUID();
  const response = await app.handle(
    new Request(`http://localhost:3000${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB, 'x-request-id': requestId },
      body,
    }),
  );
  await response.arrayBuffer();
  // The line is written once the response has gone out, which may be a tick after `handle` resolves.
  let line = lines.find((entry) => entry.requestId === requestId);
  for (let tick = 0; !line && tick < 100; tick++) {
    await Bun.sleep(5);
    line = lines.find((entry) => entry.requestId === requestId);
  }
  return { sent: response.status, logged: line?.status };
}

const registration = (username: string) =>
  JSON.stringify({
    json: {
      username,
      email: `${username}@example.com`,
      password: 'request log password',
      dateOfBirth: '1991-03-03',
    },
  });

describe('request log', () => {
  test('records the status the client received, for tRPC answers and refusals alike', async () => {
    expect(await statuses('/trpc/auth.register', registration('log_user'))).toEqual({
      sent: 200,
      logged: 200,
    });
    expect(await statuses('/trpc/auth.register', registration('log_user'))).toEqual({
      sent: 409,
      logged: 409,
    });
    expect(await statuses('/trpc/auth.register', JSON.stringify({ json: { username: 'x' } }))).toEqual({
      sent: 400,
      logged: 400,
    });
  });

  test('records the status of a request refused before tRPC runs', async () => {
    const huge = JSON.stringify({ json: { login: 'x'.repeat(100_000), password: 'y' } });
    expect(await statuses('/trpc/auth.login', huge)).toEqual({ sent: 413, logged: 413 });
  });
});
