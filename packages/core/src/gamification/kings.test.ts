import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { roomKings, tips, userLevels } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import type { KingView } from '../events/room.ts';
import type { BusEvent } from '../kernel/ports.ts';
import { createTestDeps, type TestDeps, testRedis } from '../testing.ts';
import { boardWorld } from './boards/fixture.ts';
import { boardsProjection } from './boards/projection.ts';
import { storedKing } from './kings.ts';
import { projectUntilCaughtUp } from './projector.ts';

// The king of the room is its top tipper over the last 12 hours: announced when the crown changes hands, never
// for an anonymous tip, with no name for a king who hides from boards, and lapsing when the 12 hours pass. The same
// rules hold with Redis (hourly keys) and without (the tips table).

let redis: Awaited<ReturnType<typeof testRedis>>;
const stores: Record<'redis' | 'postgres', TestDeps> = {} as never;
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

for (const store of ['redis', 'postgres'] as const) {
  describe(`the king of the room (${store})`, () => {
    async function room() {
      const deps = stores[store];
      offsetMs = 0;
      const world = await boardWorld(deps, { streamers: 1, tippers: 3, tokensEach: 1_000 });
      const [streamer] = world.streamers;
      const heard: BusEvent[] = [];
      deps.bus.subscribe(`stream:${streamer!.streamId}`, (event) => {
        if (event.type === 'king.changed') heard.push(event);
      });
      const project = () => projectUntilCaughtUp(deps, [boardsProjection]);
      const tip = async (index: number, tokens: number, anonymous = false) => {
        await world.tip(world.tippers[index]!.id, streamer!.streamId, tokens, anonymous);
        await project();
      };
      const kings = () => heard.map((event) => (event.king as KingView | null)?.user?.id ?? null);
      return { deps, world, streamer: streamer!, heard, tip, kings, project };
    }

    test('is announced only when the top changes; anonymous tips never crown', async () => {
      const { deps, world, streamer, tip, kings, heard } = await room();
      const [a, b] = world.tippers;
      await tip(2, 500, true);
      expect(heard).toHaveLength(0);
      await tip(0, 10);
      expect(kings()).toEqual([a!.id]);
      await tip(0, 5);
      await tip(1, 12);
      expect(kings()).toEqual([a!.id]);
      await tip(1, 10);
      expect(kings()).toEqual([a!.id, b!.id]);
      const event = heard.at(-1)!;
      expect(event).toMatchObject({ streamId: streamer.streamId, streamerId: streamer.id });
      expect((event.king as KingView).scoreTokens).toBe(22);
      expect((await storedKing(deps.db, streamer.id))?.user?.id).toBe(b!.id);
      const said = JSON.stringify(heard);
      expect(said).not.toContain(world.tippers[2]!.id);
    });

    test('a king who hides from boards is crowned as Anonymous', async () => {
      const { deps, world, tip, heard } = await room();
      await deps.db
        .update(userLevels)
        .set({ hiddenFromBoards: true })
        .where(eq(userLevels.userId, world.tippers[0]!.id));
      await tip(0, 10);
      expect(heard).toHaveLength(1);
      expect(heard[0]!.king).toMatchObject({ user: null, scoreTokens: 10 });
      expect(JSON.stringify(heard)).not.toContain(world.tippers[0]!.id);
    });

    test('the crown lapses 12 hours after the last tip, and the room is told', async () => {
      const { deps, world, streamer, tip, kings } = await room();
      await tip(0, 10);
      // Tips are stamped by Postgres: age this one instead of moving the clock, then run the minute's check.
      await deps.db
        .update(tips)
        .set({ createdAt: new Date(Date.now() - 11 * 3_600_000) })
        .where(eq(tips.toUserId, streamer.id));
      if (store === 'redis') {
        // The live hourly key holds it under the hour it was sent; 12 hours on, that hour is out of the window.
        offsetMs = 12 * 3_600_000;
      } else {
        offsetMs = 3 * 3_600_000;
      }
      await boardsProjection.every!.run(deps);
      expect(kings()).toEqual([world.tippers[0]!.id, null]);
      const [row] = await deps.db.select().from(roomKings).where(eq(roomKings.streamerId, streamer.id));
      expect(row!.userId).toBeNull();
      expect(await storedKing(deps.db, streamer.id)).toBeNull();
    });
  });
}
