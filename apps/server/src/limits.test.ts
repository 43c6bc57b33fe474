import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestUser, TEST_PASSWORD } from '@app/core/testing';
import { users } from '@app/db/schema';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { count } from 'drizzle-orm';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { openSocket, sessionCookie, WEB_ORIGIN } from './realtime/testing.ts';
import { startServer } from './server.ts';

let database: TestDatabase;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(
    { ...parseEnv({ DATABASE_URL: database.url, HOST: '127.0.0.1' }), PORT: 0 },
    createLogger('silent'),
  );
});
afterAll(async () => {
  await server.stop();
  await database.drop();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: WEB_ORIGIN, ...headers },
    body,
  });

/** A body sent in chunks, with no Content-Length: the server only learns its size by reading it. */
function chunked(totalBytes: number, chunkBytes = 16 * 1024) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      controller.enqueue(new Uint8Array(size).fill(0x20));
      sent += size;
    },
  });
}

const userCount = async () => (await database.db.select({ n: count() }).from(users))[0]!.n;

describe('HTTP batches', () => {
  test('a batch of more than 20 calls is refused with 400 and a sentence; nothing in it runs', async () => {
    const before = await userCount();
    const paths = Array.from({ length: 21 }, () => 'auth.register').join(',');
    const inputs = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [
        i,
        {
          json: {
            username: `batch_user_${i}`,
            email: `batch_${i}@example.com`,
            password: 'a batch of passwords',
            dateOfBirth: '1990-01-01',
          },
        },
      ]),
    );
    const response = await post(`/trpc/${paths}?batch=1`, JSON.stringify(inputs));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'At most 20 calls can go in one request; this one has 21.',
    });
    expect(await userCount()).toBe(before);
  });

  test('20 calls in one batch are served', async () => {
    const paths = Array.from({ length: 20 }, () => 'categories.list').join(',');
    const response = await fetch(`${server.url}/trpc/${paths}?batch=1&input=%7B%7D`);
    expect(response.status).toBe(200);
    expect((await response.json()) as unknown[]).toHaveLength(20);
  });

  test('60 guesses of the current password in one request meet the per-account limit', async () => {
    const { token } = await createTestUser(server.runtime.deps);
    const cookie = sessionCookie(token);
    const guesses = (passwords: string[]) =>
      post(
        `/trpc/${passwords.map(() => 'auth.changePassword').join(',')}?batch=1`,
        JSON.stringify(
          Object.fromEntries(
            passwords.map((currentPassword, i) => [
              i,
              { json: { currentPassword, newPassword: 'an entirely new passphrase' } },
            ]),
          ),
        ),
        { cookie },
      );
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      const response = await guesses(Array.from({ length: 20 }, (_, i) => `wrong guess ${round}-${i}`));
      const body = (await response.json()) as { error?: { json: { data: { httpStatus: number } } } }[];
      statuses.push(...body.map((item) => item.error!.json.data.httpStatus));
    }
    expect(statuses.filter((status) => status === 400)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    const right = (await (await guesses([TEST_PASSWORD])).json()) as {
      error?: { json: { message: string; data: { code: string } } };
    }[];
    expect(right[0]!.error!.json.data.code).toBe('TOO_MANY_REQUESTS');
    expect(right[0]!.error!.json.message).toBe(
      'Too many password attempts for this account. Try again in 15 minutes.',
    );
  });
});

describe('HTTP bodies', () => {
  const TOO_LARGE = { error: 'The request body is larger than 64 KB, the most this endpoint accepts.' };

  test('a /trpc body over 64 KB is refused with 413 and a sentence, unread, signed in or not', async () => {
    const body = JSON.stringify({ json: { login: 'x'.repeat(70 * 1024), password: 'whatever' } });
    const response = await post('/trpc/auth.login', body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(TOO_LARGE);
  });

  test('a chunked /trpc body is read only up to 64 KB', async () => {
    const response = await post('/trpc/auth.login', chunked(200 * 1024), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(TOO_LARGE);
  });

  test('a chunked body within the limit is served', async () => {
    const json = JSON.stringify({ json: { login: 'nobody_at_all', password: 'definitely wrong' } });
    const bytes = new TextEncoder().encode(json);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10));
        controller.enqueue(bytes.slice(10));
        controller.close();
      },
    });
    const response = await post('/trpc/auth.login', stream);
    expect(response.status).toBe(401);
  });

  test('Bun refuses any body over 1 MB before a route runs', async () => {
    const response = await post('/webhooks/stripe', 'x'.repeat(1024 * 1024 + 1));
    expect(response.status).toBe(413);
  });
});

describe('websocket messages', () => {
  test('a message over 64 KB closes the socket', async () => {
    const socket = await openSocket(server.url);
    socket.socket.send('x'.repeat(64 * 1024 + 1));
    await socket.until(() => socket.closed !== null, 'the socket to close');
    expect(socket.closed!.code).toBe(1009);
  });

  test('a message with more than 20 calls is refused with a sentence; none of them runs', async () => {
    const socket = await openSocket(server.url);
    const call = (id: number) => ({
      id,
      method: 'query',
      params: { path: 'categories.list', input: { json: {} } },
    });
    socket.send(Array.from({ length: 21 }, (_, i) => call(i + 1)));
    socket.send([call(100)]);
    await socket.until(() => socket.frames.some((frame) => frame.id === 100), 'the next answer');
    expect(socket.frames).toHaveLength(2);
    expect(socket.frames[0]!.error!.json.message).toBe('At most 20 calls per message.');
    expect(socket.frames[0]!.id).toBeNull();
    socket.close();
  });
});
