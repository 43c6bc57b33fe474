import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import { channelModerators, moderationLogs, streams } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { and, desc, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/**
 * Who may moderate a room: its streamer, its channel's moderators and platform staff (moderators, admins).
 * Everyone else (viewers, another streamer, a moderator of another channel, anonymous visitors) is refused,
 * and a refused action changes nothing.
 */
type Who =
  | 'anonymous'
  | 'viewer'
  | 'otherStreamer'
  | 'otherChannelMod'
  | 'channelMod'
  | 'streamer'
  | 'staffMod'
  | 'admin';
const ALLOWED: Who[] = ['channelMod', 'streamer', 'staffMod', 'admin'];
const EVERYONE: Who[] = [
  'anonymous',
  'viewer',
  'otherStreamer',
  'otherChannelMod',
  'channelMod',
  'streamer',
  'staffMod',
  'admin',
];

let deps: TestDeps;
const tokens = {} as Record<Who, string | null>;
let streamerId: string;
let streamId: string;
let otherStreamerId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const otherStreamer = await createTestUser(deps, { role: 'streamer' });
  const channelMod = await createTestUser(deps);
  const otherChannelMod = await createTestUser(deps);
  streamerId = streamer.user.id;
  otherStreamerId = otherStreamer.user.id;
  streamId = (await createTestStream(deps, streamerId)).id;
  await deps.db.insert(channelModerators).values([
    { channelId: streamerId, userId: channelMod.user.id },
    { channelId: otherStreamerId, userId: otherChannelMod.user.id },
  ]);
  Object.assign(tokens, {
    anonymous: null,
    viewer: (await createTestUser(deps)).token,
    otherStreamer: otherStreamer.token,
    otherChannelMod: otherChannelMod.token,
    channelMod: channelMod.token,
    streamer: streamer.token,
    staffMod: (await createTestUser(deps, { role: 'moderator' })).token,
    admin: (await createTestUser(deps, { role: 'admin' })).token,
  });
});
afterAll(async () => {
  await deps.database.drop();
});

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const caller = async (who: Who) => (await callerFor(deps, tokens[who])).caller;
const expected = (who: Who) =>
  who === 'anonymous' ? 'UNAUTHORIZED' : ALLOWED.includes(who) ? 'ok' : 'FORBIDDEN';
const lastLog = async () =>
  (await deps.db.select().from(moderationLogs).orderBy(desc(moderationLogs.id)).limit(1))[0];

describe('who may moderate a room (role × action)', () => {
  for (const who of EVERYONE) {
    test(`${who}: delete, timeout, ban, unban, chat mode — ${expected(who)}`, async () => {
      const target = await createTestUser(deps);
      const sent = await (await callerFor(deps, target.token)).caller.chat.send({
        streamId,
        text: `line for ${who}`,
        clientMessageId: crypto.randomUUID(),
      });
      const as = await caller(who);
      const before = await lastLog();
      const results = [
        await outcome(() => as.moderation.deleteMessage({ messageId: sent.message.id, reason: 'test' })),
        await outcome(() =>
          as.moderation.timeout({ streamId, userId: target.user.id, seconds: 60, reason: 'test' }),
        ),
        await outcome(() => as.moderation.ban({ streamId, userId: target.user.id, reason: 'test' })),
        await outcome(() => as.moderation.unban({ streamId, userId: target.user.id })),
        await outcome(() => as.moderation.setChatMode({ streamId, slowModeSeconds: 0 })),
      ];
      expect(results).toEqual(Array(5).fill(expected(who)));
      if (expected(who) !== 'ok') {
        // Refused: nothing logged, the message still there.
        expect((await lastLog())?.id).toBe(before?.id);
        const history = await (await caller('viewer')).chat.history({ streamId, limit: 100 });
        expect(history.items.some((item) => item.id === sent.message.id)).toBe(true);
      } else {
        const [log] = await deps.db
          .select()
          .from(moderationLogs)
          .where(and(eq(moderationLogs.targetUserId, target.user.id), eq(moderationLogs.action, 'ban')));
        expect(log).toMatchObject({ channelId: streamerId, streamId, reason: 'test' });
      }
    });
  }

  test('nobody can restrict the streamer or staff in the room; a channel moderator cannot restrict another', async () => {
    const channelMod = await caller('channelMod');
    const staff = await createTestUser(deps, { role: 'moderator' });
    const secondMod = await createTestUser(deps);
    await deps.db.insert(channelModerators).values({ channelId: streamerId, userId: secondMod.user.id });
    expect(
      await outcome(() => channelMod.moderation.ban({ streamId, userId: streamerId, reason: 'x' })),
    ).toBe('FORBIDDEN');
    expect(
      await outcome(() => channelMod.moderation.ban({ streamId, userId: staff.user.id, reason: 'x' })),
    ).toBe('FORBIDDEN');
    expect(
      await outcome(() =>
        channelMod.moderation.timeout({ streamId, userId: secondMod.user.id, seconds: 5, reason: 'x' }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await outcome(async () =>
        (await caller('streamer')).moderation.timeout({
          streamId,
          userId: secondMod.user.id,
          seconds: 5,
          reason: 'x',
        }),
      ),
    ).toBe('ok');
  });

  test('only the streamer (or an admin) chooses the channel’s moderators', async () => {
    const newbie = await createTestUser(deps);
    for (const who of ['viewer', 'channelMod', 'staffMod'] as const) {
      expect(
        await outcome(async () => (await caller(who)).moderation.addModerator({ userId: newbie.user.id })),
      ).toBe('FORBIDDEN');
    }
    expect(
      await outcome(async () =>
        (await caller('otherStreamer')).moderation.addModerator({
          userId: newbie.user.id,
          channelId: streamerId,
        }),
      ),
    ).toBe('FORBIDDEN');
    await (await caller('streamer')).moderation.addModerator({ userId: newbie.user.id });
    expect(await lastLog()).toMatchObject({
      action: 'add_moderator',
      channelId: streamerId,
      targetUserId: newbie.user.id,
    });
    const list = await (await caller('anonymous')).moderation.moderators({ channelId: streamerId });
    expect(list.map((m) => m.id)).toContain(newbie.user.id);
    expect(
      await outcome(async () =>
        (await caller('streamer')).moderation.addModerator({ userId: newbie.user.id }),
      ),
    ).toBe('CONFLICT');
    await (await caller('admin')).moderation.removeModerator({
      userId: newbie.user.id,
      channelId: streamerId,
    });
  });

  test('the log: the channel’s streamer and moderators read theirs, staff read all, others are refused', async () => {
    const own = await (await caller('streamer')).moderation.log({});
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((item) => item.channelId === streamerId)).toBe(true);
    expect((await (await caller('channelMod')).moderation.log({ channelId: streamerId })).items.length).toBe(
      own.items.length,
    );
    expect(
      await outcome(async () => (await caller('viewer')).moderation.log({ channelId: streamerId })),
    ).toBe('FORBIDDEN');
    expect(
      await outcome(async () => (await caller('otherChannelMod')).moderation.log({ channelId: streamerId })),
    ).toBe('FORBIDDEN');
    const all = await (await caller('admin')).moderation.log({ limit: 100 });
    expect(all.items.some((item) => item.actorUsername !== null && item.action === 'ban')).toBe(true);
  });

  test('history tells the viewer whether they may moderate', async () => {
    expect((await (await caller('viewer')).chat.history({ streamId })).canModerate).toBe(false);
    expect((await (await caller('channelMod')).chat.history({ streamId })).canModerate).toBe(true);
    expect((await (await caller('anonymous')).chat.history({ streamId })).canModerate).toBe(false);
  });
});

describe('bad input is refused with a sentence and changes nothing', () => {
  test('chat and moderation inputs', async () => {
    const as = await caller('streamer');
    const bad = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error);
      }
      return 'ok';
    };
    expect(await bad(() => as.chat.send({ streamId, text: '', clientMessageId: crypto.randomUUID() }))).toBe(
      'BAD_REQUEST: Type a message first.',
    );
    expect(
      await bad(() => as.moderation.timeout({ streamId, userId: otherStreamerId, seconds: 0, reason: 'x' })),
    ).toBe('BAD_REQUEST: A timeout lasts at least 1 second.');
    expect(
      await bad(() =>
        as.moderation.timeout({ streamId, userId: otherStreamerId, seconds: 15 * 86_400, reason: 'x' }),
      ),
    ).toBe('BAD_REQUEST: A timeout lasts at most 14 days.');
    expect(await bad(() => as.moderation.ban({ streamId, userId: otherStreamerId, reason: '' }))).toBe(
      'BAD_REQUEST: Give a reason for the ban.',
    );
    expect(await bad(() => as.moderation.setChatMode({ streamId }))).toBe(
      'BAD_REQUEST: Change at least one chat setting.',
    );
    expect(await bad(() => as.chat.react({ messageId: 1, emoji: '🍕' as never }))).toContain(
      'BAD_REQUEST: Pick one of',
    );
    const [row] = await deps.db
      .select({ settings: streams.settings })
      .from(streams)
      .where(eq(streams.id, streamId));
    expect(row!.settings.slowModeSeconds ?? 0).toBe(0);
  });

  test('signed-out visitors may read and subscribe to public chat but not send, react or whisper', async () => {
    const anonymous = await caller('anonymous');
    expect((await anonymous.chat.history({ streamId })).items.length).toBeGreaterThan(0);
    expect(
      await outcome(() =>
        anonymous.chat.send({ streamId, text: 'hi', clientMessageId: crypto.randomUUID() }),
      ),
    ).toBe('UNAUTHORIZED');
    expect(await outcome(() => anonymous.chat.whisper({ toUserId: streamerId, text: 'hi' }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await outcome(() => anonymous.chat.conversations())).toBe('UNAUTHORIZED');
  });
});
