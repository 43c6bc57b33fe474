import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { announceReadsChanged, SESSION_COOKIE_NAME } from '@app/core';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { categories } from '@app/db/schema';
import { type App, createApp } from './app.ts';
import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';

let deps: TestDeps;
let app: App;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp({
    runtime: { deps, database: deps.database, redis: null, close: async () => {} },
    env: parseEnv({ DATABASE_URL: deps.database.url }),
    log: createLogger('silent'),
  });
});
afterAll(() => deps.database.drop());

const get = (path: string, headers: Record<string, string> = {}) =>
  app.handle(new Request(`http://localhost:3000/trpc/${path}`, { headers }));
const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify({ json: value }))}`;
const names = async (response: Response) =>
  ((await response.json()) as { result: { data: { json: { name: string }[] } } }).result.data.json.map(
    (category) => category.name,
  );
/** How many answers the node's read cache holds now (the core's reads and the visitors' shared bytes). */
const entries = () => deps.reads!.stats().entries;
/** A category added behind the platform's back: nothing announces it, so only a fresh read shows it. */
const addCategoryQuietly = (name: string) =>
  deps.db.insert(categories).values({ slug: name.toLowerCase().replace(/\W+/g, '-'), name });

describe('answers shared among visitors', () => {
  test('a visitor gets the shared answer until a change it depends on is announced, then the new one at once', async () => {
    const first = await names(await get('categories.list'));
    await addCategoryQuietly('Quiet Knitting');
    expect(await names(await get('categories.list'))).toEqual(first);
    await announceReadsChanged(deps, ['streams']);
    expect(await names(await get('categories.list'))).toContain('Quiet Knitting');
  });

  test('a batch of shared reads is kept as one answer; a batch with any other call in it is not kept', async () => {
    const batch = (calls: string) => `${calls}?batch=1&${input({ 0: {}, 1: {} })}`;
    await get('categories.list');
    await get('regions.tree');
    const kept = entries();
    expect((await get(batch('categories.list,regions.tree'))).status).toBe(200);
    expect(entries()).toBe(kept + 1);
    expect((await get(batch('categories.list,auth.me'))).status).toBe(200);
    expect(entries()).toBe(kept + 1);
  });

  test('a signed-in caller never gets the bytes kept for visitors: the board tells them their own place', async () => {
    const path = `leaderboards.get?${input({ board: 'tippers', scope: { kind: 'global' }, period: 'all', limit: 10 })}`;
    const visitor = (await (await get(path)).json()) as { result: { data: { json: { me: unknown } } } };
    expect(visitor.result.data.json.me).toBeNull();
    const { token } = await createTestUser(deps);
    const member = (await (
      await get(path, { cookie: `${SESSION_COOKIE_NAME}=${token}` })
    ).json()) as typeof visitor;
    expect(member.result.data.json.me).toEqual({ rank: null, score: 0, toPass: 1 });
  });

  test('a stale session cookie is still cleared on a shared read', async () => {
    await get('categories.list');
    const response = await get('categories.list', { cookie: `${SESSION_COOKIE_NAME}=nobody.nothing` });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain(`${SESSION_COOKIE_NAME}=;`);
  });

  test('a request with parameters tRPC does not use is answered on its own and not kept', async () => {
    await get('categories.list');
    const kept = entries();
    for (let i = 0; i < 3; i++) expect((await get(`categories.list?cachebuster=${i}`)).status).toBe(200);
    expect(entries()).toBe(kept);
  });

  test('every shared answer carries its own request id and the security headers', async () => {
    const ids = ['visitor-request-0001', 'visitor-request-0002'];
    for (const id of ids) {
      const response = await get('regions.tree', { 'x-request-id': id, origin: 'http://localhost:5173' });
      expect(response.headers.get('x-request-id')).toBe(id);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
    const stranger = await get('regions.tree', { origin: 'https://evil.example' });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a refused read is answered, with its sentence, and not kept', async () => {
    const kept = entries();
    for (let i = 0; i < 2; i++) {
      const bad = await get(`streams.live?${input({ limit: 10_000 })}`);
      expect(bad.status).toBe(400);
      const { error } = (await bad.json()) as { error: { json: { message: string } } };
      expect(error.json.message).toMatch(/\w+ \w+ \w+/);
    }
    expect(entries()).toBe(kept);
  });
});
