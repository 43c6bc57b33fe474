import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

/** The two-command set-up: no DATABASE_URL and no REDIS_URL → PGlite in DATA_DIR, migrated and seeded. */
const dataDir = mkdtempSync(join(tmpdir(), 'lumen-embedded-'));
let started: Awaited<ReturnType<typeof startServer>>;
const WEB = 'http://localhost:5173';
const ADMIN = 'http://localhost:5174';

beforeAll(async () => {
  const env = { ...parseEnv({ DATA_DIR: dataDir, HOST: '127.0.0.1' }), PORT: 0 };
  started = await startServer(env, createLogger('silent'));
}, 60_000);
afterAll(async () => {
  await started.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, json: unknown, origin = WEB, cookie = '') =>
  fetch(`${started.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify({ json }),
  });

test('the embedded database is migrated and seeded, and the seeded admin sees real counts', async () => {
  expect(started.runtime.database.kind).toBe('pglite');
  const health = await (await fetch(`${started.url}/healthz`)).json();
  expect(health).toEqual({ status: 'ok', database: 'up', redis: 'not configured' });

  const login = await post(
    'auth.login',
    { login: 'admin', password: 'admin-password-1', app: 'admin' },
    ADMIN,
  );
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const dashboard = await fetch(`${started.url}/trpc/admin.dashboard`, { headers: { cookie } });
  const counts = (
    (await dashboard.json()) as { result: { data: { json: Record<string, Record<string, number>> } } }
  ).result.data.json;
  expect(counts.regions).toMatchObject({ continents: 7 });
  expect(counts.regions!.countries).toBeGreaterThanOrEqual(40);
  expect(counts.regions!.cities).toBeGreaterThanOrEqual(100);
  expect(Number(counts.categories)).toBeGreaterThanOrEqual(12);
  expect(counts.users!.admins).toBeGreaterThanOrEqual(1);
  expect(counts.users!.banned).toBeGreaterThanOrEqual(1);
}, 30_000);

test('the embedded database starts with live streams a visitor can see', async () => {
  const response = await fetch(`${started.url}/trpc/streams.live?input=${encodeURIComponent('{"json":{}}')}`);
  expect(response.status).toBe(200);
  const page = ((await response.json()) as { result: { data: { json: { items: { title: string }[] } } } })
    .result.data.json;
  expect(page.items.length).toBeGreaterThanOrEqual(6);
  expect(page.items.some((stream) => /pasta/i.test(stream.title))).toBe(true);
});

test('a seeded viewer is refused by the admin app but signs in to the web app', async () => {
  const refused = await post(
    'auth.login',
    { login: 'liam_plays', password: 'viewer-password-1', app: 'admin' },
    ADMIN,
  );
  expect(refused.status).toBe(403);
  const ok = await post('auth.login', { login: 'liam_plays', password: 'viewer-password-1' });
  expect(ok.status).toBe(200);
});

test('registering on the embedded database works end to end', async () => {
  const response = await post('auth.register', {
    username: 'embedded_new',
    email: 'embedded_new@example.com',
    password: 'embedded password',
    dateOfBirth: '1994-07-07',
  });
  expect(response.status).toBe(200);
});
