import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { leaderboardRollups, userLevels } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import {
  chargeFor,
  createTestDeps,
  createTestUser,
  deliverStripeEvent,
  startStripeFake,
  type TestDeps,
  testRedis,
} from '../../testing.ts';
import { projectUntilCaughtUp } from '../projector.ts';
import { boardWorld, seeded, stripeBuyer } from './fixture.ts';
import { boardsProjection } from './projection.ts';
import { readLeaderboard } from './read.ts';
import { rebuildBoards } from './rebuild.ts';
import type { LeaderboardInput } from './scope.ts';

// Without Redis (embedded development) the projector keeps the boards in Postgres's rollup: every board, rank and
// "tokens to pass" reads the same as from Redis for the same tips.

let deps: TestDeps;
let redis: Awaited<ReturnType<typeof testRedis>>;
let fake: ReturnType<typeof startStripeFake>;

beforeAll(async () => {
  fake = startStripeFake();
  redis = await testRedis();
  deps = await createTestDeps({ stripe: fake.stripe });
}, 30_000);
afterAll(async () => {
  await redis.flush();
  redis.client.close();
  fake.stop();
  await deps.database.drop();
});

async function rollupRows() {
  const rows = await deps.db.select().from(leaderboardRollups);
  return rows.map((row) => `${row.board}:${row.scope}:${row.bucket}:${row.member}=${row.score}`).sort();
}

describe('boards without Redis', () => {
  test('the rollup answers every board as Redis does, and rebuilds to itself', async () => {
    const world = await boardWorld(deps, { streamers: 3, tippers: 8, tokensEach: 5_000 });
    const buyer = await stripeBuyer(deps, 2_000);
    const random = seeded(7);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    for (let i = 0; i < 200; i++) {
      const from = i % 8 === 0 ? buyer : pick(world.tippers);
      await world.tip(from.id, pick(world.streamers).streamId, 1 + Math.floor(random() * 40), random() < 0.2);
      if (i % 50 === 49) await projectUntilCaughtUp(deps, [boardsProjection]);
    }
    await deps.db
      .update(userLevels)
      .set({ hiddenFromBoards: true })
      .where(eq(userLevels.userId, world.tippers[1]!.id));
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(buyer.intentId));
    await projectUntilCaughtUp(deps, [boardsProjection]);
    expect(await deps.db.$count(leaderboardRollups, eq(leaderboardRollups.member, buyer.id))).toBe(0);

    const live = await rollupRows();
    expect(live.length).toBeGreaterThan(100);
    await rebuildBoards(deps);
    expect(await rollupRows()).toEqual(live);

    const withRedis = { ...deps, redis };
    await rebuildBoards(withRedis);
    const stranger = await createTestUser(deps);
    const viewers = [
      null,
      stranger.user.id,
      buyer.id,
      ...world.tippers.map((t) => t.id),
      ...world.streamers.map((s) => s.id),
    ];
    const scopes: LeaderboardInput['scope'][] = [
      { kind: 'global' },
      { kind: 'continent', id: 'EU' },
      { kind: 'country', id: 'fr' },
      { kind: 'category', id: String(world.categories[0]!.id) },
      { kind: 'category', id: world.categories[1]!.slug },
      { kind: 'stream', id: world.streamers[0]!.streamId },
    ];
    let compared = 0;
    for (const board of ['tippers', 'streamers'] as const) {
      for (const scope of scopes) {
        if (board === 'streamers' && scope.kind === 'stream') continue;
        for (const period of ['day', 'week', 'month', 'all'] as const) {
          for (const limit of [1, 3, 100]) {
            for (const viewer of viewers) {
              const input = { board, scope, period, limit };
              const fromRollup = await readLeaderboard(deps, viewer, input);
              const fromRedis = await readLeaderboard(withRedis, viewer, input);
              expect(fromRollup).toEqual(fromRedis);
              compared += 1;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
    // Someone off a short list sees their rank and what it takes to pass the one above.
    const all = await readLeaderboard(deps, null, {
      board: 'tippers',
      scope: { kind: 'global' },
      period: 'all',
      limit: 100,
    });
    const third = all.entries[2]!;
    const fourth = all.entries[3]!;
    expect(all.entries.some((entry) => entry.user === null)).toBe(true);
    const fourthId = world.tippers.find((t) => t.id === fourth.user?.id)?.id;
    if (fourthId) {
      const mine = await readLeaderboard(deps, fourthId, {
        board: 'tippers',
        scope: { kind: 'global' },
        period: 'all',
        limit: 3,
      });
      expect(mine.entries).toHaveLength(3);
      expect(mine.me).toEqual({ rank: 4, score: fourth.score, toPass: third.score - fourth.score + 1 });
    }
    const nobody = await readLeaderboard(deps, stranger.user.id, {
      board: 'tippers',
      scope: { kind: 'global' },
      period: 'all',
      limit: 3,
    });
    expect(nobody.me).toEqual({ rank: null, score: 0, toPass: third.score + 1 });
  }, 120_000);
});
