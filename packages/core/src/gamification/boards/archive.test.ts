import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { leaderboardRollups, leaderboardSnapshots } from '@app/db/schema';
import { and, asc, eq } from 'drizzle-orm';
import { createTestDeps, type TestDeps, testRedis } from '../../testing.ts';
import { projectUntilCaughtUp } from '../projector.ts';
import { archiveClosedPeriods, closedBuckets } from './archive.ts';
import { boardWorld } from './fixture.ts';
import { dayBucket } from './keys.ts';
import { boardsProjection } from './projection.ts';
import { readLeaderboard } from './read.ts';
import { rebuildBoards } from './rebuild.ts';

// When a day (week, month) closes, the top of each of its boards is kept in Postgres, once.

let redis: Awaited<ReturnType<typeof testRedis>>;
const stores = {} as Record<'redis' | 'postgres', TestDeps>;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  redis = await testRedis();
  stores.redis = await createTestDeps({ redis, clock });
  stores.postgres = await createTestDeps({ clock });
}, 30_000);
afterAll(async () => {
  await redis.flush();
  redis.client.close();
  await stores.redis.database.drop();
  await stores.postgres.database.drop();
});

test('the closed buckets are yesterday, last ISO week and last month', () => {
  expect(closedBuckets(new Date('2027-01-01T00:30:00Z'))).toEqual([
    'd:2026-12-31',
    'w:2026-W52',
    'm:2026-12',
  ]);
});

for (const store of ['redis', 'postgres'] as const) {
  describe(`closing a period (${store})`, () => {
    test('keeps the top of each board of the day that closed, once', async () => {
      const deps = stores[store];
      offsetMs = 0;
      const world = await boardWorld(deps, { streamers: 1, tippers: 3, tokensEach: 500 });
      const [room] = world.streamers;
      for (const [index, tokens] of [
        [0, 5],
        [1, 40],
        [2, 12],
      ] as const) {
        await world.tip(world.tippers[index]!.id, room!.streamId, tokens);
      }
      await projectUntilCaughtUp(deps, [boardsProjection]);
      const today = dayBucket(clock.now());
      const board = await readLeaderboard(deps, null, {
        board: 'tippers',
        scope: { kind: 'stream', id: room!.streamId },
        period: 'day',
        limit: 100,
      });
      offsetMs = 86_400_000;
      expect(await archiveClosedPeriods(deps)).toBeGreaterThan(0);
      expect(await archiveClosedPeriods(deps)).toBe(0);
      const kept = await deps.db
        .select()
        .from(leaderboardSnapshots)
        .where(and(eq(leaderboardSnapshots.scope, `str:${room!.id}`), eq(leaderboardSnapshots.bucket, today)))
        .orderBy(asc(leaderboardSnapshots.rank));
      expect(kept.map((row) => [row.rank, row.member, row.score])).toEqual(
        board.entries.map((entry) => [entry.rank, entry.user!.id, entry.score]),
      );
      if (store === 'postgres') {
        // Five days on, the rollup has dropped that day (as Redis expires it) and a rebuild agrees.
        offsetMs = 5 * 86_400_000;
        await archiveClosedPeriods(deps);
        const rows = async () =>
          (await deps.db.select().from(leaderboardRollups))
            .map((r) => `${r.board}:${r.scope}:${r.bucket}:${r.member}=${r.score}`)
            .sort();
        const kept = await rows();
        expect(kept.some((row) => row.includes(today))).toBe(false);
        expect(kept.some((row) => row.includes(':all:'))).toBe(true);
        await rebuildBoards(deps);
        expect(await rows()).toEqual(kept);
      }
      offsetMs = 0;
    });
  });
}
