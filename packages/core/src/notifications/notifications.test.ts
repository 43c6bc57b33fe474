import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { notifications, userFollows } from '@app/db/schema';
import { and, eq } from 'drizzle-orm';
import { markWhispersRead, sendWhisper } from '../chat/whispers.ts';
import { requestWithdrawal, reviewWithdrawal } from '../economy/payouts.ts';
import { sendTip } from '../economy/tips.ts';
import type { BusEvent } from '../kernel/ports.ts';
import { banFromChannel, timeoutUser } from '../moderation/chat-actions.ts';
import { announce } from '../streams/lifecycle.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  manualClock,
  type TestDeps,
} from '../testing.ts';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  unreadNotificationCount,
} from './inbox.ts';
import { notificationPreferences, setNotificationPreferences } from './preferences.ts';
import { WHISPER_AWAY_SECONDS } from './whispers.ts';

let deps: TestDeps;
const clock = manualClock(new Date());
const published: Array<{ topic: string; event: BusEvent }> = [];

beforeAll(async () => {
  deps = await createTestDeps({ clock, economy: { earningsHoldHours: 0 } });
  const publish = deps.bus.publish;
  deps.bus.publish = async (topic, event) => {
    published.push({ topic, event });
    await publish(topic, event);
  };
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const user = async (role: 'viewer' | 'streamer' = 'viewer') => (await createTestUser(deps, { role })).user;

async function stored(userId: string, kind?: string) {
  return deps.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), kind ? eq(notifications.kind, kind as never) : undefined))
    .orderBy(notifications.id);
}

/** The `notification` events published on `user:{userId}` since `from`. */
const sentTo = (userId: string, from = 0) =>
  published.slice(from).filter((p) => p.topic === `user:${userId}` && p.event.type === 'notification');

describe('a followed streamer goes live', () => {
  test('one notification per follower who wants it, stored and sent; muted, unnotified and banned followers are skipped', async () => {
    const streamer = await user('streamer');
    const [fan, other, quiet, muting] = await Promise.all([user(), user(), user(), user()]);
    const banned = (await createTestUser(deps, { banned: true })).user;
    const stranger = await user();
    await deps.db.insert(userFollows).values([
      { followerId: fan.id, followeeId: streamer.id },
      { followerId: other.id, followeeId: streamer.id },
      { followerId: quiet.id, followeeId: streamer.id, notify: false },
      { followerId: muting.id, followeeId: streamer.id },
      { followerId: banned.id, followeeId: streamer.id },
    ]);
    await setNotificationPreferences(deps, muting.id, { muted: ['stream.live'] });
    const stream = await createTestStream(deps, streamer.id, { title: 'Synths at dawn' });
    const from = published.length;
    await announce(deps, { stream, wentLive: true });

    for (const follower of [fan, other]) {
      const rows = await stored(follower.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        kind: 'stream.live',
        readAt: null,
        payload: expect.objectContaining({
          title: `${streamer.displayName} is live`,
          body: 'Synths at dawn',
          link: `/live/${stream.id}`,
          streamId: stream.id,
        }),
      });
      const events = sentTo(follower.id, from);
      expect(events).toHaveLength(1);
      expect(events[0]!.event).toMatchObject({ notification: { id: rows[0]!.id, kind: 'stream.live' } });
    }
    for (const skipped of [quiet, muting, banned, stranger]) {
      expect(await stored(skipped.id)).toEqual([]);
      expect(sentTo(skipped.id, from)).toEqual([]);
    }
  });

  test('an adults-only stream’s title is left out of the notification', async () => {
    const streamer = await user('streamer');
    const fan = await user();
    await deps.db.insert(userFollows).values({ followerId: fan.id, followeeId: streamer.id });
    const stream = await createTestStream(deps, streamer.id, { title: 'Late night', nsfw: true });
    await announce(deps, { stream, wentLive: true });
    const [row] = await stored(fan.id);
    expect(row!.payload).toMatchObject({ body: 'An adults-only stream', nsfw: true });
    expect(JSON.stringify(row!.payload)).not.toContain('Late night');
  });

  test('every one of many followers is told', async () => {
    const streamer = await user('streamer');
    const fans = await Promise.all(Array.from({ length: 40 }, () => user()));
    await deps.db
      .insert(userFollows)
      .values(fans.map((fan) => ({ followerId: fan.id, followeeId: streamer.id })));
    const stream = await createTestStream(deps, streamer.id);
    await announce(deps, { stream, wentLive: true });
    const rows = await deps.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.kind, 'stream.live'));
    const told = new Set(rows.map((row) => row.userId));
    expect(fans.every((fan) => told.has(fan.id))).toBe(true);
  });
});

describe('preferences', () => {
  test('muted kinds are kept per user and replaced as a whole', async () => {
    const person = await user();
    expect((await notificationPreferences(deps, person.id)).kinds.filter((k) => k.muted)).toEqual([]);
    await setNotificationPreferences(deps, person.id, { muted: ['whisper', 'payout'] });
    await setNotificationPreferences(deps, person.id, { muted: ['payout', 'moderation'] });
    const muted = (await notificationPreferences(deps, person.id)).kinds
      .filter((k) => k.muted)
      .map((k) => k.kind);
    expect(muted.sort()).toEqual(['moderation', 'payout']);
    await setNotificationPreferences(deps, person.id, { muted: [] });
    expect((await notificationPreferences(deps, person.id)).kinds.some((k) => k.muted)).toBe(false);
  });

  test('a muted whisper kind is neither stored nor sent', async () => {
    const [sender, recipient] = await Promise.all([user(), user()]);
    await setNotificationPreferences(deps, recipient.id, { muted: ['whisper'] });
    const from = published.length;
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'hello?' });
    expect(await stored(recipient.id)).toEqual([]);
    expect(sentTo(recipient.id, from)).toEqual([]);
  });
});

describe('whispers while away', () => {
  test('the first whisper of an unread run notifies; more lines do not; reading the thread reads the notification', async () => {
    const [sender, recipient] = await Promise.all([user(), user()]);
    const first = await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'are you there?' });
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'ping' });
    const rows = await stored(recipient.id, 'whisper');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({
      title: `${sender.displayName} whispered to you`,
      body: 'are you there?',
      link: `/messages/${sender.username}`,
      messageId: first.id,
      fromUserId: sender.id,
    });
    // The sender is not told about their own whisper.
    expect(await stored(sender.id)).toEqual([]);
    await markWhispersRead(deps, recipient.id, sender.id);
    expect(await unreadNotificationCount(deps, recipient.id)).toBe(0);
  });

  test('in a conversation (read or written in the last minutes) no notification; after a while away, one', async () => {
    const [sender, recipient] = await Promise.all([user(), user()]);
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'one' });
    await markWhispersRead(deps, recipient.id, sender.id);
    clock.advance(10);
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'two' });
    expect(await stored(recipient.id, 'whisper')).toHaveLength(1);
    await markWhispersRead(deps, recipient.id, sender.id);
    await sendWhisper(deps, recipient.id, { toUserId: sender.id, text: 'reply' });
    clock.advance(10);
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'three' });
    expect(await stored(recipient.id, 'whisper')).toHaveLength(1);
    await markWhispersRead(deps, recipient.id, sender.id);

    clock.advance(WHISPER_AWAY_SECONDS + 1);
    await sendWhisper(deps, sender.id, { toUserId: recipient.id, text: 'four' });
    const rows = await stored(recipient.id, 'whisper');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.payload).toMatchObject({ body: 'four' });
  });
});

describe('payout decisions', () => {
  async function withdrawal() {
    const streamer = await user('streamer');
    const fan = await user();
    const stream = await createTestStream(deps, streamer.id);
    await fundWallet(deps, fan.id, 1_000);
    await sendTip(deps, fan.id, {
      streamId: stream.id,
      amountTokens: 1_000,
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    const requested = await requestWithdrawal(deps, streamer.id, {
      amountTokens: 1_000,
      idempotencyKey: crypto.randomUUID(),
    });
    return { streamer, requested };
  }

  test('approved, then paid: each decision notifies the streamer, linking to their earnings', async () => {
    const { streamer, requested } = await withdrawal();
    const { user: reviewer } = await createTestUser(deps, { role: 'admin' });
    expect(await stored(streamer.id)).toEqual([]);
    await reviewWithdrawal(deps, reviewer.id, { withdrawalId: requested.id, action: 'approve' });
    await reviewWithdrawal(deps, reviewer.id, { withdrawalId: requested.id, action: 'markPaid' });
    const rows = await stored(streamer.id, 'payout');
    expect(rows.map((row) => row.payload)).toEqual([
      expect.objectContaining({
        title: 'Your withdrawal was approved',
        status: 'approved',
        withdrawalId: requested.id,
        link: '/studio/earnings',
      }),
      expect.objectContaining({ title: 'Your withdrawal was paid', status: 'paid', amountTokens: 1_000 }),
    ]);
  });

  test('a rejection notifies with the note', async () => {
    const { streamer, requested } = await withdrawal();
    const { user: reviewer } = await createTestUser(deps, { role: 'admin' });
    await reviewWithdrawal(deps, reviewer.id, {
      withdrawalId: requested.id,
      action: 'reject',
      note: 'Bank details missing',
    });
    const [row] = await stored(streamer.id, 'payout');
    expect(row!.payload).toMatchObject({
      status: 'rejected',
      body: 'The 1,000 tokens are back in your earnings. Note: Bank details missing',
    });
  });
});

describe('moderation actions against you', () => {
  test('a timeout and a channel ban each notify the user, naming the channel and the reason', async () => {
    const streamer = await user('streamer');
    const target = await user();
    const stream = await createTestStream(deps, streamer.id);
    const actor = { id: streamer.id, role: streamer.role };
    await timeoutUser(deps, actor, { streamId: stream.id, userId: target.id, seconds: 600, reason: 'Spam' });
    await banFromChannel(deps, actor, { streamId: stream.id, userId: target.id, reason: 'Spam again' });
    const rows = await stored(target.id, 'moderation');
    expect(rows.map((row) => row.payload)).toEqual([
      expect.objectContaining({
        title: `You were timed out in ${streamer.displayName}’s chat`,
        body: 'Reason: Spam',
        action: 'timeout',
        until: new Date(clock.now().getTime() + 600_000).toISOString(),
        link: `/u/${streamer.username}`,
      }),
      expect.objectContaining({ title: `You were banned from ${streamer.displayName}’s chat`, until: null }),
    ]);
    expect(await stored(streamer.id, 'moderation')).toEqual([]);
  });
});

describe('the inbox', () => {
  test('pages newest first; marks only the owner’s notifications read; mark all', async () => {
    const [sender, me, someoneElse] = await Promise.all([user(), user(), user()]);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(WHISPER_AWAY_SECONDS + 1);
      await sendWhisper(deps, sender.id, { toUserId: me.id, text: `line ${i}` });
      await markWhispersRead(deps, me.id, sender.id);
      await deps.db.update(notifications).set({ readAt: null }).where(eq(notifications.userId, me.id));
    }
    await sendWhisper(deps, sender.id, { toUserId: someoneElse.id, text: 'theirs' });
    const first = await listNotifications(deps, me.id, { limit: 2, unreadOnly: false });
    expect(first.items.map((n) => n.payload.body)).toEqual(['line 4', 'line 3']);
    expect(first.unreadCount).toBe(5);
    const second = await listNotifications(deps, me.id, {
      limit: 2,
      unreadOnly: false,
      cursor: first.nextCursor,
    });
    const third = await listNotifications(deps, me.id, {
      limit: 2,
      unreadOnly: false,
      cursor: second.nextCursor,
    });
    expect([...second.items, ...third.items].map((n) => n.payload.body)).toEqual([
      'line 2',
      'line 1',
      'line 0',
    ]);
    expect(third.nextCursor).toBeNull();

    const [theirs] = await stored(someoneElse.id);
    const marked = await markNotificationsRead(deps, me.id, { ids: [first.items[0]!.id, theirs!.id] });
    expect(marked).toEqual({ marked: 1, unreadCount: 4 });
    expect((await stored(someoneElse.id))[0]!.readAt).toBeNull();
    expect((await listNotifications(deps, me.id, { limit: 10, unreadOnly: true })).items).toHaveLength(4);
    expect(await markAllNotificationsRead(deps, me.id)).toEqual({ marked: 4, unreadCount: 0 });
    expect(await unreadNotificationCount(deps, someoneElse.id)).toBe(1);
  });
});
