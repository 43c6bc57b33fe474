import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestUser, TEST_PASSWORD } from '@app/core/testing';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

const WEB = 'http://localhost:5173';
let database: TestDatabase;
let started: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { ...parseEnv({ DATABASE_URL: database.url, HOST: '127.0.0.1' }), PORT: 0 };
  started = await startServer(env, createLogger('silent'));
});
afterAll(async () => {
  await started.stop();
  await database.drop();
});

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${started.url.replace('http', 'ws')}/trpc`, { headers } as never);
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error('websocket refused'));
  });
}

function call(socket: WebSocket, id: number, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.addEventListener('message', function onMessage(event) {
      const message = JSON.parse(String(event.data));
      if (message.id !== id) return;
      socket.removeEventListener('message', onMessage);
      resolve(message);
    });
    socket.send(JSON.stringify({ id, method: 'query', params: { path, input: {} } }));
  });
}

describe('a real server on a port', () => {
  test('answers HTTP on its own port', async () => {
    const response = await fetch(`${started.url}/healthz`);
    expect(response.status).toBe(200);
  });

  test('tRPC over websocket knows the user from the upgrade request’s cookie', async () => {
    const { user } = await createTestUser(started.runtime.deps);
    const login = await fetch(`${started.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB },
      body: JSON.stringify({ json: { login: user.username, password: TEST_PASSWORD } }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const socket = await openSocket({ origin: WEB, cookie });
    const me = await call(socket, 1, 'auth.me');
    expect(me).toMatchObject({ result: { type: 'data', data: { json: { username: user.username } } } });
    const anonymous = await openSocket({ origin: WEB });
    expect(await call(anonymous, 2, 'auth.me')).toMatchObject({ result: { data: { json: null } } });
    socket.close();
    anonymous.close();
  });

  test('a websocket from a foreign page is refused', async () => {
    await expect(openSocket({ origin: 'https://evil.example' })).rejects.toThrow('websocket refused');
  });
});
