import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { userActivityDays, userLevels } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { sendRoomChat } from '../room/chat.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  manualClock,
  type TestDeps,
  testRedis,
} from '../testing.ts';
import { countChat, creditWatchMinute, flushActivity } from './activity.ts';
import { ACTIVITY_XP_MAX, CHAT_XP_PER_DAY, WATCH_XP_PER_DAY } from './levels.ts';

const clock = manualClock(new Date('2026-06-01T08:00:00Z'));
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ clock });
});
afterAll(async () => {
  await deps.database.drop();
});

async function levelOf(userId: string) {
  const [row] = await deps.db.select().from(userLevels).where(eq(userLevels.userId, userId));
  return row!;
}

async function liveRoom() {
  const { user: streamer } = await createTestUser(deps, { role: 'streamer' });
  return createTestStream(deps, streamer.id, { status: 'live' });
}

describe('chat XP', () => {
  test('a chat line counts 1 XP, written with the next flush, not per message', async () => {
    const stream = await liveRoom();
    const { user } = await createTestUser(deps);
    await sendRoomChat(deps, user.id, {
      streamId: stream.id,
      text: 'hello',
      clientMessageId: 'msg-00000001',
    });
    // A retry of the same line counts nothing more.
    await sendRoomChat(deps, user.id, {
      streamId: stream.id,
      text: 'hello',
      clientMessageId: 'msg-00000001',
    });
    expect((await levelOf(user.id)).activityXp).toBe(0);
    await flushActivity(deps);
    expect(await levelOf(user.id)).toMatchObject({ activityXp: 1, level: 1 });
  });

  test('past the daily cap chatting adds no XP; the next UTC day pays again', async () => {
    const { user } = await createTestUser(deps);
    for (let i = 0; i < CHAT_XP_PER_DAY + 15; i++) countChat(deps, user.id);
    await flushActivity(deps);
    countChat(deps, user.id);
    await flushActivity(deps);
    expect(await levelOf(user.id)).toMatchObject({ activityXp: CHAT_XP_PER_DAY, level: 2 });
    clock.advance(86_400);
    countChat(deps, user.id);
    await flushActivity(deps);
    expect((await levelOf(user.id)).activityXp).toBe(CHAT_XP_PER_DAY + 1);
  });
});

describe('watch XP', () => {
  test('one XP per minute per viewer, however many tabs and rooms', async () => {
    const [a, b] = [await liveRoom(), await liveRoom()];
    const { user } = await createTestUser(deps);
    const { user: other } = await createTestUser(deps);
    clock.advance(60);
    const credited = await creditWatchMinute(deps, [
      { userId: user.id, streamId: a.id },
      { userId: user.id, streamId: a.id },
      { userId: user.id, streamId: b.id },
      { userId: other.id, streamId: b.id },
    ]);
    // The same minute again (another node, another tab): nothing more.
    await creditWatchMinute(deps, [{ userId: user.id, streamId: b.id }]);
    await flushActivity(deps);
    expect(credited).toBe(2);
    expect((await levelOf(user.id)).activityXp).toBe(1);
    expect((await levelOf(other.id)).activityXp).toBe(1);
  });

  test('a room that is not live pays nothing', async () => {
    const { user: streamer } = await createTestUser(deps, { role: 'streamer' });
    const ended = await createTestStream(deps, streamer.id, { status: 'ended' });
    const { user } = await createTestUser(deps);
    clock.advance(60);
    expect(await creditWatchMinute(deps, [{ userId: user.id, streamId: ended.id }])).toBe(0);
  });

  test('watch XP is capped per day and stops at level 9', async () => {
    const stream = await liveRoom();
    const { user } = await createTestUser(deps);
    const days = Math.ceil(ACTIVITY_XP_MAX / WATCH_XP_PER_DAY) + 2;
    for (let day = 0; day < days; day++) {
      clock.advance(86_400);
      for (let minute = 0; minute < WATCH_XP_PER_DAY + 10; minute++) {
        clock.advance(60);
        await creditWatchMinute(deps, [{ userId: user.id, streamId: stream.id }]);
      }
      await flushActivity(deps);
    }
    const row = await levelOf(user.id);
    expect(row).toMatchObject({ activityXp: ACTIVITY_XP_MAX, level: 9, xp: ACTIVITY_XP_MAX });
    const perDay = await deps.db.select().from(userActivityDays).where(eq(userActivityDays.userId, user.id));
    expect(Math.max(...perDay.map((d) => d.watchXp))).toBe(WATCH_XP_PER_DAY);
  });

  test('at level 10 and above, activity adds nothing', async () => {
    const { user } = await createTestUser(deps);
    await deps.db
      .update(userLevels)
      .set({ standingPurchases: 1, level: 10 })
      .where(eq(userLevels.userId, user.id));
    for (let i = 0; i < 5; i++) countChat(deps, user.id);
    await flushActivity(deps);
    expect(await levelOf(user.id)).toMatchObject({ activityXp: 0, level: 10 });
  });
});

describe('watch XP across nodes (Redis)', () => {
  test('two nodes seeing the same viewer in the same minute credit it once', async () => {
    const redis = await testRedis();
    const withRedis = { ...deps, redis: { client: redis.client, prefix: redis.prefix } };
    const stream = await liveRoom();
    const { user } = await createTestUser(deps);
    clock.advance(60);
    const viewers = [{ userId: user.id, streamId: stream.id }];
    const credited =
      (await creditWatchMinute(withRedis, viewers)) + (await creditWatchMinute(withRedis, viewers));
    await flushActivity(withRedis);
    expect(credited).toBe(1);
    expect((await levelOf(user.id)).activityXp).toBe(1);
    await redis.flush();
    redis.client.close();
  });
});
