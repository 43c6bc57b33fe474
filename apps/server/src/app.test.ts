import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, TEST_PASSWORD, type TestDeps } from '@app/core/testing';
import { users } from '@app/db/schema';
import { count } from 'drizzle-orm';
import { type App, createApp } from './app.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

const WEB = 'http://localhost:5173';
let deps: TestDeps;
let app: App;

beforeAll(async () => {
  deps = await createTestDeps();
  const env = parseEnv({ DATABASE_URL: deps.database.url });
  app = createApp({
    runtime: { deps, database: deps.database, redis: null, close: async () => {} },
    env,
    log: createLogger('silent'),
  });
});
afterAll(() => deps.database.drop());

const trpcPost = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.handle(
    new Request(`http://localhost:3000/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify({ json: body }),
    }),
  );

describe('HTTP', () => {
  test('/healthz reports the database and that Redis is not configured', async () => {
    const response = await app.handle(new Request('http://localhost:3000/healthz'));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ status: 'ok', database: 'up', redis: 'not configured' });
  });

  test('every response has security headers and a request id', async () => {
    const response = await app.handle(
      new Request('http://localhost:3000/healthz', { headers: { 'x-request-id': 'abc12345-test' } }),
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-request-id')).toBe('abc12345-test');
    const fresh = await app.handle(
      new Request('http://localhost:3000/healthz', { headers: { 'x-request-id': '<bad>' } }),
    );
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('CORS answers our apps and nobody else', async () => {
    const preflight = (origin: string) =>
      app.handle(
        new Request('http://localhost:3000/trpc/auth.login', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        }),
      );
    const ours = await preflight(WEB);
    expect(ours.status).toBe(204);
    expect(ours.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(ours.headers.get('access-control-allow-credentials')).toBe('true');
    const theirs = await preflight('https://evil.example');
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('batched queries answer in one request', async () => {
    const response = await app.handle(
      new Request('http://localhost:3000/trpc/auth.me,categories.list,regions.tree?batch=1&input=%7B%7D'),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as unknown[];
    expect(body).toHaveLength(3);
  });

  test('register sets the session cookie; me reads it back; the cookie is not Secure on localhost', async () => {
    const response = await trpcPost('auth.register', {
      username: 'http_user',
      email: 'http_user@example.com',
      password: 'http user password',
      dateOfBirth: '1991-03-03',
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    const me = await app.handle(
      new Request('http://localhost:3000/trpc/auth.me', { headers: { cookie: cookie.split(';')[0]! } }),
    );
    expect(
      ((await me.json()) as { result: { data: { json: { username: string } } } }).result.data.json.username,
    ).toBe('http_user');
  });

  test('a malformed session cookie reads as signed out and is cleared, on queries and mutations alike', async () => {
    const cookie = 'lumen_session=%E0%A4%A';
    const me = await app.handle(new Request('http://localhost:3000/trpc/auth.me', { headers: { cookie } }));
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: { json: unknown } } }).result.data.json).toBeNull();
    expect(me.headers.get('set-cookie')).toStartWith('lumen_session=; Path=/');
    expect(me.headers.get('set-cookie')).toContain('Max-Age=0');
    const logout = await trpcPost('auth.logout', {}, { cookie });
    expect(logout.status).toBe(401);
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  test('a mutation without our Origin is refused with 403 and changes nothing', async () => {
    const before = await deps.db.select({ n: count() }).from(users);
    const response = await trpcPost(
      'auth.register',
      {
        username: 'csrf_user',
        email: 'csrf@example.com',
        password: 'csrf user password',
        dateOfBirth: '1991-03-03',
      },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    const after = await deps.db.select({ n: count() }).from(users);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  test('invalid input answers 400 with a readable message and per-field errors, never a stack', async () => {
    const response = await trpcPost('auth.register', { username: 'ok_name' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(body.error.json.message).toBe('Email is required.');
    expect(body.error.json.data.fieldErrors).toMatchObject({
      email: 'Email is required.',
      password: 'Password is required.',
    });
    expect(JSON.stringify(body)).not.toContain('stack');
    expect(JSON.stringify(body)).not.toContain('.ts:');
  });

  test('malformed JSON and an oversized body get a 4xx', async () => {
    expect((await trpcPost('auth.login', '{not json')).status).toBe(400);
    const long = await trpcPost('auth.login', { login: 'x'.repeat(10_000), password: 'y' });
    expect(long.status).toBe(400);
    const huge = await trpcPost('auth.login', { login: 'x'.repeat(100_000), password: 'y' });
    expect(huge.status).toBe(413);
  });

  test('wrong credentials answer 401 with one sentence for both cases', async () => {
    const { user } = await createTestUser(deps);
    const wrong = await trpcPost('auth.login', { login: user.username, password: 'definitely wrong' });
    expect(wrong.status).toBe(401);
    const ok = await trpcPost('auth.login', { login: user.username, password: TEST_PASSWORD });
    expect(ok.status).toBe(200);
  });

  test('an unknown procedure is a 404', async () => {
    const response = await app.handle(new Request('http://localhost:3000/trpc/nope.nothing'));
    expect(response.status).toBe(404);
  });
});

describe('environment', () => {
  test('a bad value stops start-up with a sentence that names it', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://localhost/x' })).toThrow(/DATABASE_URL is not valid/);
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT is not valid/);
    expect(() => parseEnv({ REDIS_URL: 'localhost:6379' })).toThrow(
      /REDIS_URL is not valid: REDIS_URL must be a redis/,
    );
  });

  test('defaults run locally without any variable; https origins make the cookie Secure', () => {
    const local = parseEnv({});
    expect(local).toMatchObject({ PORT: 3000, origins: ['http://localhost:5173', 'http://localhost:5174'] });
    expect(local.cookieSecure).toBe(false);
    expect(local.DATABASE_URL).toBeUndefined();
    const prod = parseEnv({
      WEB_ORIGIN: 'https://lumen.example',
      ADMIN_ORIGIN: 'https://admin.lumen.example',
    });
    expect(prod.cookieSecure).toBe(true);
  });
});
