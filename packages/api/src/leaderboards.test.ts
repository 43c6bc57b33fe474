import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { leagueOf, projectUntilCaughtUp, ROOM_ECONOMY } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  type TestDeps,
  testRedis,
} from '@app/core/testing';
import { leaderboardRollups, userLevels } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

// leaderboards.get and leaderboards.setVisibility for every role, with Redis and without, and every bad input
// refused with a sentence and nothing stored.

const ROLES = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin'] as const;
type Role = (typeof ROLES)[number];

let redis: Awaited<ReturnType<typeof testRedis>>;
const stores = {} as Record<
  'redis' | 'postgres',
  { deps: TestDeps; tokens: Record<Role, string | null>; streamId: string; ids: Record<Role, string> }
>;

async function setup(deps: TestDeps) {
  const tokens = { anonymous: null } as Record<Role, string | null>;
  const ids = {} as Record<Role, string>;
  for (const role of ROLES.slice(1)) {
    const made = await createTestUser(deps, { role: role as 'viewer' | 'streamer' | 'moderator' | 'admin' });
    tokens[role] = made.token;
    ids[role] = made.user.id;
  }
  const stream = await createTestStream(deps, ids.streamer);
  const streamId = stream.id;
  await fundWallet(deps, ids.viewer, 100);
  await fundWallet(deps, ids.admin, 100);
  const { caller } = await callerFor(deps, tokens.viewer);
  await caller.tips.send({
    streamId,
    amountTokens: 30,
    anonymous: false,
    idempotencyKey: crypto.randomUUID(),
  });
  const { caller: admin } = await callerFor(deps, tokens.admin);
  await admin.tips.send({
    streamId,
    amountTokens: 10,
    anonymous: false,
    idempotencyKey: crypto.randomUUID(),
  });
  await projectUntilCaughtUp(deps, ROOM_ECONOMY);
  return { deps, tokens, streamId, ids };
}

beforeAll(async () => {
  redis = await testRedis();
  stores.redis = await setup(await createTestDeps({ redis }));
  stores.postgres = await setup(await createTestDeps());
}, 60_000);
afterAll(async () => {
  await redis.flush();
  redis.client.close();
  await stores.redis.deps.database.drop();
  await stores.postgres.deps.database.drop();
});

for (const store of ['redis', 'postgres'] as const) {
  describe(`leaderboards (${store})`, () => {
    for (const role of ROLES) {
      test(`${role}: reads a stream's board, with their own place when signed in`, async () => {
        const { deps, tokens, streamId } = stores[store];
        const { caller } = await callerFor(deps, tokens[role]);
        const board = await caller.leaderboards.get({
          board: 'tippers',
          scope: { kind: 'stream', id: streamId },
          period: 'day',
          limit: 10,
        });
        expect(board.entries.map((entry) => entry.score)).toEqual([30, 10]);
        // Levels come from the XP projection that ran in the same passes.
        const top = board.entries[0]!;
        expect(top.rank).toBe(1);
        expect(top.user!.level).toBeGreaterThan(1);
        expect(top.user!.league).toBe(leagueOf(top.user!.level));
        if (role === 'anonymous') expect(board.me).toBeNull();
        else if (role === 'viewer') expect(board.me).toEqual({ rank: 1, score: 30, toPass: null });
        else if (role === 'admin') expect(board.me).toEqual({ rank: 2, score: 10, toPass: 21 });
        else expect(board.me).toEqual({ rank: null, score: 0, toPass: 1 });
        const streamers = await caller.leaderboards.get({
          board: 'streamers',
          scope: { kind: 'global' },
          period: 'all',
        });
        expect(streamers.entries[0]?.score).toBe(40);
      });

      test(`${role}: ${role === 'anonymous' ? 'may not hide' : 'hides from boards and shows again'}`, async () => {
        const { deps, tokens, streamId, ids } = stores[store];
        const { caller } = await callerFor(deps, tokens[role]);
        if (role === 'anonymous') {
          await expect(caller.leaderboards.setVisibility({ hidden: true })).rejects.toMatchObject({
            code: 'UNAUTHORIZED',
          });
          return;
        }
        expect(await caller.leaderboards.setVisibility({ hidden: true })).toEqual({ hidden: true });
        const board = await caller.leaderboards.get({
          board: 'tippers',
          scope: { kind: 'stream', id: streamId },
          period: 'all',
          limit: 10,
        });
        if (role === 'viewer') {
          expect(board.entries[0]).toEqual({ rank: 1, score: 30, user: null });
          expect(board.me).toEqual({ rank: 1, score: 30, toPass: null });
          expect(JSON.stringify(board.entries)).not.toContain(ids.viewer);
        }
        expect(await caller.leaderboards.setVisibility({ hidden: false })).toEqual({ hidden: false });
      });
    }

    test('a mutation from another site is refused and stores nothing', async () => {
      const { deps, tokens } = stores[store];
      const { caller } = await callerFor(deps, tokens.viewer, { origin: 'https://evil.example' });
      await expect(caller.leaderboards.setVisibility({ hidden: true })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const hidden = await deps.db.$count(userLevels, eq(userLevels.hiddenFromBoards, true));
      expect(hidden).toBe(0);
    });

    test('bad input is refused with a sentence and stores nothing', async () => {
      const { deps, tokens, streamId } = stores[store];
      const { caller } = await callerFor(deps, tokens.viewer);
      const rollupBefore = await deps.db.$count(leaderboardRollups);
      const global = { kind: 'global' as const };
      const refused: [unknown, RegExp][] = [
        [{ board: 'tippers', scope: global, period: 'day', limit: 0 }, /at least 1 place/],
        [{ board: 'tippers', scope: global, period: 'day', limit: 101 }, /at most 100 places/],
        [{ board: 'tippers', scope: global, period: 'day', limit: 2.5 }, /whole number/],
        [{ board: 'kings', scope: global, period: 'day' }, /tippers or the streamers/],
        [{ board: 'tippers', scope: global, period: 'year' }, /day, week, month or all time/],
        [{ board: 'tippers', scope: { kind: 'planet', id: 'x' }, period: 'day' }, /global, continent/],
        [{ board: 'tippers', scope: { kind: 'continent' }, period: 'day' }, /Say which continent/],
        [
          { board: 'tippers', scope: { kind: 'continent', id: 'XX' }, period: 'day' },
          /no continent with the code/,
        ],
        [
          { board: 'tippers', scope: { kind: 'country', id: 'ZZ' }, period: 'day' },
          /no country with the code/,
        ],
        [
          { board: 'tippers', scope: { kind: 'category', id: 'no-such-category' }, period: 'day' },
          /no category/,
        ],
        [{ board: 'tippers', scope: { kind: 'category', id: '999999' }, period: 'day' }, /no category/],
        [{ board: 'tippers', scope: { kind: 'stream', id: 'not-a-uuid' }, period: 'day' }, /not a stream id/],
        [
          { board: 'tippers', scope: { kind: 'stream', id: crypto.randomUUID() }, period: 'day' },
          /no stream with that id/,
        ],
        [{ board: 'streamers', scope: { kind: 'stream', id: streamId }, period: 'day' }, /no stream scope/],
        [
          { board: 'tippers', scope: { kind: 'category', id: 'x'.repeat(10_000) }, period: 'day' },
          /too long/,
        ],
      ];
      for (const [input, message] of refused) {
        const attempt = caller.leaderboards.get(input as never);
        await expect(attempt).rejects.toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringMatching(message),
        });
      }
      for (const input of [{}, { hidden: 'yes' }, { hidden: null }]) {
        await expect(caller.leaderboards.setVisibility(input as never)).rejects.toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringContaining('hide from public boards'),
        });
      }
      expect(await deps.db.$count(userLevels, eq(userLevels.hiddenFromBoards, true))).toBe(0);
      expect(await deps.db.$count(leaderboardRollups)).toBe(rollupBefore);
    });
  });
}

describe('one stream’s board is as public as the stream', () => {
  test('an adult stream’s board is refused to visitors and unverified viewers, shown to verified ones', async () => {
    const { deps } = stores.postgres;
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const adult = await createTestStream(deps, streamer.user.id, { nsfw: true });
    const minor = await createTestUser(deps, { dateOfBirth: '2012-01-01' });
    const verified = await createTestUser(deps, { ageVerified: true });
    const input = { board: 'tippers', scope: { kind: 'stream', id: adult.id }, period: 'all' } as const;
    for (const token of [null, minor.token]) {
      const { caller } = await callerFor(deps, token);
      await expect(caller.leaderboards.get(input)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('for adults'),
      });
    }
    const { caller } = await callerFor(deps, verified.token);
    expect((await caller.leaderboards.get(input)).entries).toEqual([]);
  });

  test('a banned streamer’s board is gone with their streams', async () => {
    const { deps } = stores.postgres;
    const banned = await createTestUser(deps, { role: 'streamer', banned: true });
    const stream = await createTestStream(deps, banned.user.id);
    const { caller } = await callerFor(deps, null);
    await expect(
      caller.leaderboards.get({ board: 'tippers', scope: { kind: 'stream', id: stream.id }, period: 'all' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
