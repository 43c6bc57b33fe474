import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { userLevels } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

type Role = 'anonymous' | 'viewer' | 'streamer' | 'moderator' | 'admin' | 'banned';
const ROLES: Role[] = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin', 'banned'];

let deps: TestDeps;
let target: { id: string; username: string };

beforeAll(async () => {
  deps = await createTestDeps();
  target = (await createTestUser(deps, { role: 'streamer' })).user;
  await deps.db
    .update(userLevels)
    .set({ spendXp: 1_500, standingPurchases: 1, xp: 1_500, level: 20, spendTier: 2 })
    .where(eq(userLevels.userId, target.id));
});
afterAll(() => deps.database.drop());

async function callerAs(role: Role) {
  if (role === 'anonymous') return (await callerFor(deps, null)).caller;
  const { token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
  });
  return (await callerFor(deps, token)).caller;
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('levels procedures × roles', () => {
  for (const role of ROLES) {
    test(`${role}`, async () => {
      const caller = await callerAs(role);
      const signedIn = role !== 'anonymous' && role !== 'banned';
      expect(await outcome(() => caller.levels.me())).toBe(signedIn ? 'ok' : 'UNAUTHORIZED');
      expect(await outcome(() => caller.levels.byUser({ username: target.username }))).toBe('ok');
      expect(await outcome(() => caller.levels.table())).toBe('ok');
    });
  }
});

describe('what each shows', () => {
  test('levels.me: own XP, progress, streamer level for a streamer', async () => {
    const { token } = await createTestUser(deps, { role: 'streamer' });
    const { caller } = await callerFor(deps, token);
    const me = await caller.levels.me();
    expect(me.viewer).toMatchObject({ level: 1, league: 'grey', xp: 0, xpIntoLevel: 0, xpForNext: 10 });
    expect(me.streamer).toMatchObject({ level: 1, xp: 0 });
    expect(me.spendTier).toBe(0);
  });

  test('levels.byUser: level, league and progress, no XP figures', async () => {
    const { caller } = await callerFor(deps, null);
    const view = await caller.levels.byUser({ username: target.username.toUpperCase() });
    expect(view).toEqual({
      username: target.username,
      viewer: { level: 20, league: 'silver', fraction: 0.36 },
      streamer: { level: 1, league: 'grey', fraction: 0 },
      spendTier: 2,
    });
    expect(JSON.stringify(view)).not.toContain('1500');
  });

  test('levels.table: seven leagues and a hundred levels', async () => {
    const { caller } = await callerFor(deps, null);
    const table = await caller.levels.table();
    expect(table.leagues).toHaveLength(7);
    expect(table.viewer).toHaveLength(100);
    expect(table.viewer[19]).toMatchObject({ level: 20, xp: 1_425 });
  });

  test('bad input is a clear 400; an unknown or banned user is a 404', async () => {
    const { caller } = await callerFor(deps, null);
    for (const username of ['', 'x'.repeat(10_000), 'not a name!']) {
      const error = await caller.levels.byUser({ username }).catch((e: TRPCError) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      expect((error as TRPCError).message.length).toBeGreaterThan(10);
    }
    expect(await outcome(() => caller.levels.byUser({ username: 'nobody_here' }))).toBe('NOT_FOUND');
    const banned = (await createTestUser(deps, { banned: true })).user;
    expect(await outcome(() => caller.levels.byUser({ username: banned.username }))).toBe('NOT_FOUND');
    expect(await outcome(() => caller.levels.byUser({} as { username: string }))).toBe('BAD_REQUEST');
  });
});
