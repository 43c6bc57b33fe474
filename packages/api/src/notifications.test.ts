import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sendWhisper } from '@app/core';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import { notifications, streams, userFollows } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

let deps: TestDeps;

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps.database.drop();
});

async function person(role: 'viewer' | 'streamer' = 'viewer') {
  const { user, token } = await createTestUser(deps, { role });
  return { user, caller: (await callerFor(deps, token)).caller };
}

const outcome = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error);
  }
  return 'ok';
};

describe('notifications: each user only their own', () => {
  test('visitors are refused every procedure', async () => {
    const { caller } = await callerFor(deps, null);
    for (const run of [
      () => caller.notifications.list({}),
      () => caller.notifications.unreadCount(),
      () => caller.notifications.markRead({ ids: [1] }),
      () => caller.notifications.markAllRead(),
      () => caller.notifications.preferences(),
      () => caller.notifications.setPreferences({ muted: [] }),
    ]) {
      expect(await outcome(run)).toStartWith('UNAUTHORIZED');
    }
  });

  test('another user neither sees, counts nor marks my notifications, nor changes my mutes', async () => {
    const sender = await person();
    const me = await person();
    const other = await person();
    await sendWhisper(deps, sender.user.id, { toUserId: me.user.id, text: 'for you only' });
    const mine = await me.caller.notifications.list({});
    expect(mine.items).toHaveLength(1);
    expect(mine.unreadCount).toBe(1);
    const id = mine.items[0]!.id;

    expect((await other.caller.notifications.list({})).items).toEqual([]);
    expect(await other.caller.notifications.unreadCount()).toEqual({ unreadCount: 0 });
    expect(await other.caller.notifications.markRead({ ids: [id] })).toEqual({ marked: 0, unreadCount: 0 });
    expect(await other.caller.notifications.markAllRead()).toEqual({ marked: 0, unreadCount: 0 });
    await other.caller.notifications.setPreferences({ muted: ['whisper'] });
    const [row] = await deps.db.select().from(notifications).where(eq(notifications.id, id));
    expect(row!.readAt).toBeNull();
    expect((await me.caller.notifications.preferences()).kinds.some((kind) => kind.muted)).toBe(false);
    // No input names a user: one cannot even ask for someone else's list.
    expect(await outcome(() => other.caller.notifications.list({ userId: me.user.id } as never))).toStartWith(
      'BAD_REQUEST',
    );

    expect(await me.caller.notifications.markRead({ ids: [id] })).toEqual({ marked: 1, unreadCount: 0 });
  });

  test('bad input is refused with a sentence and changes nothing', async () => {
    const me = await person();
    expect(await outcome(() => me.caller.notifications.markRead({ ids: [] }))).toBe(
      'BAD_REQUEST: Say which notifications to mark as read.',
    );
    expect(await outcome(() => me.caller.notifications.list({ limit: 500 }))).toBe(
      'BAD_REQUEST: One page holds at most 50 notifications.',
    );
    expect(await outcome(() => me.caller.notifications.list({ cursor: 'nonsense' }))).toBe(
      'BAD_REQUEST: That page cursor is not valid; start from the first page.',
    );
    expect(await outcome(() => me.caller.notifications.setPreferences({ muted: ['tips' as never] }))).toBe(
      'BAD_REQUEST: A notification kind is one of: stream.live, whisper, payout, moderation.',
    );
    expect((await me.caller.notifications.preferences()).kinds.some((kind) => kind.muted)).toBe(false);
  });
});

describe('users.followedChannels', () => {
  test('live channels first (latest start first), then the rest (latest follow first), paged without gaps', async () => {
    const fan = await person();
    const channels = await Promise.all(Array.from({ length: 5 }, () => person('streamer')));
    const base = Date.now() - 60_000;
    await deps.db.insert(userFollows).values(
      channels.map((channel, i) => ({
        followerId: fan.user.id,
        followeeId: channel.user.id,
        createdAt: new Date(base + i * 1000),
      })),
    );
    // Followed first and third are live; the one followed third started later.
    const early = await createTestStream(deps, channels[0]!.user.id, { title: 'Early' });
    const late = await createTestStream(deps, channels[2]!.user.id, { title: 'Late' });
    await deps.db
      .update(streams)
      .set({ startedAt: new Date(base) })
      .where(eq(streams.id, early.id));
    await deps.db
      .update(streams)
      .set({ startedAt: new Date(base + 30_000) })
      .where(eq(streams.id, late.id));
    await createTestStream(deps, channels[4]!.user.id, { status: 'ended' });

    const seen: { username: string; streamTitle: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof fan.caller.users.followedChannels>> =
        await fan.caller.users.followedChannels({ limit: 2, cursor });
      seen.push(
        ...page.items.map((item) => ({
          username: item.user.username,
          streamTitle: item.stream?.title ?? null,
        })),
      );
      cursor = page.nextCursor;
    } while (cursor);
    const name = (i: number) => channels[i]!.user.username;
    expect(seen).toEqual([
      { username: name(2), streamTitle: 'Late' },
      { username: name(0), streamTitle: 'Early' },
      { username: name(4), streamTitle: null },
      { username: name(3), streamTitle: null },
      { username: name(1), streamTitle: null },
    ]);
    // Each person's own list: another fan follows nobody.
    const other = await person();
    expect((await other.caller.users.followedChannels({})).items).toEqual([]);
    expect(
      await outcome(async () => (await callerFor(deps, null)).caller.users.followedChannels({})),
    ).toStartWith('UNAUTHORIZED');
  });
});
