import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { channelModerators, chatEvents, messages, moderationLogs } from '@app/db/schema';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { chatHistoryInput, sendChatInput } from '../chat/schemas.ts';
import { createMemoryLimiters, DEFAULT_RATE_LIMITS } from '../infra/rate-limits.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import type { BusEvent } from '../kernel/ports.ts';
import { banFromChannel, timeoutUser } from '../moderation/chat-actions.ts';
import { timeoutInput } from '../moderation/schemas.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  manualClock,
  refusal,
  type TestDeps,
} from '../testing.ts';
import { roomChatHistory } from './access.ts';
import { tipInRoom } from './tips.ts';

let deps: TestDeps;
const clock = manualClock(new Date());
beforeAll(async () => {
  deps = await createTestDeps({
    clock,
    limiters: createMemoryLimiters({
      ...DEFAULT_RATE_LIMITS,
      chatByUser: { count: 1000, windowSeconds: 30 },
      chatByRoom: { count: 1000, windowSeconds: 1 },
    }),
  });
});
afterAll(async () => {
  await deps.database.drop();
});

const say = async (userId: string, streamId: string, text: string) =>
  (
    await sendChat(
      deps,
      userId,
      sendChatInput.parse({ streamId, text, clientMessageId: crypto.randomUUID() }),
    )
  ).message.id;

/** A live room with its streamer, a channel moderator, a troublemaker and a bystander. */
async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const moderator = await createTestUser(deps);
  const troll = await createTestUser(deps);
  const bystander = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await deps.db.insert(channelModerators).values({ channelId: streamer.user.id, userId: moderator.user.id });
  return { streamer, moderator, troll, bystander, stream };
}

function record(streamId: string) {
  const heard: BusEvent[] = [];
  const stop = deps.bus.subscribe(`stream:${streamId}`, (event: BusEvent) => heard.push(event));
  return { heard, stop };
}

const deletedIds = async (ids: number[]) =>
  (
    await deps.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(inArray(messages.id, ids), isNotNull(messages.deletedAt)))
  )
    .map((row) => row.id)
    .sort((a, b) => a - b);

describe('remove their recent messages', () => {
  test('a timeout removes only that user’s recent chat lines in that room, tells the room and logs it', async () => {
    const { moderator, troll, bystander, stream } = await room();
    const elsewhere = await createTestStream(
      deps,
      (await createTestUser(deps, { role: 'streamer' })).user.id,
    );
    const old = await say(troll.user.id, stream.id, 'an old line');
    clock.advance(CHAT_LIMITS.purgeRecentSeconds + 1);
    const recent = [
      await say(troll.user.id, stream.id, 'spam one'),
      await say(troll.user.id, stream.id, 'spam two'),
    ];
    const theirs = await say(bystander.user.id, stream.id, 'hello');
    const otherRoom = await say(troll.user.id, elsewhere.id, 'spam in another room');
    await fundWallet(deps, troll.user.id, 10);
    await tipInRoom(deps, troll.user.id, {
      streamId: stream.id,
      amountTokens: 5,
      note: '',
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    const [tipLine] = await deps.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.streamId, stream.id), eq(messages.kind, 'tip')));
    const { heard, stop } = record(stream.id);

    const result = await timeoutUser(
      deps,
      moderator.user,
      timeoutInput.parse({
        streamId: stream.id,
        userId: troll.user.id,
        seconds: 600,
        reason: 'spam',
        removeRecent: true,
      }),
    );
    stop();

    expect(result.removedMessages).toBe(2);
    expect(await deletedIds([old, ...recent, theirs, otherRoom, tipLine!.id])).toEqual(recent);
    const history = await roomChatHistory(deps, null, chatHistoryInput.parse({ streamId: stream.id }));
    expect(history.items.map((item) => item.id)).toEqual([old, theirs, tipLine!.id]);

    const events = await deps.db
      .select({ id: chatEvents.id, messageId: chatEvents.messageId, payload: chatEvents.payload })
      .from(chatEvents)
      .where(and(eq(chatEvents.streamId, stream.id), eq(chatEvents.kind, 'delete')))
      .orderBy(chatEvents.id);
    expect(events.map((event) => event.messageId)).toEqual(recent);
    expect(heard).toEqual(
      events.map((event) => ({
        type: 'chat.deleted',
        streamId: stream.id,
        messageId: event.messageId,
        eventId: event.id,
      })),
    );

    const log = await deps.db
      .select()
      .from(moderationLogs)
      .where(and(eq(moderationLogs.streamId, stream.id), eq(moderationLogs.targetUserId, troll.user.id)))
      .orderBy(moderationLogs.id);
    expect(log.map((entry) => [entry.action, entry.actorId, entry.reason])).toEqual([
      ['timeout', moderator.user.id, 'spam'],
      ['delete_message', moderator.user.id, 'spam'],
    ]);
    expect(log[1]!.metadata).toEqual({
      messageIds: recent,
      recentSeconds: CHAT_LIMITS.purgeRecentSeconds,
    });
  });

  test('without the option, or with nothing recent, no line goes and the room hears nothing', async () => {
    const { streamer, troll, stream } = await room();
    const line = await say(troll.user.id, stream.id, 'borderline');
    const { heard, stop } = record(stream.id);
    await timeoutUser(deps, streamer.user, {
      streamId: stream.id,
      userId: troll.user.id,
      seconds: 60,
      reason: 'calm down',
    });
    clock.advance(CHAT_LIMITS.purgeRecentSeconds + 61);
    const banned = await banFromChannel(deps, streamer.user, {
      streamId: stream.id,
      userId: troll.user.id,
      reason: 'again',
      removeRecent: true,
    });
    stop();
    expect(banned.removedMessages).toBe(0);
    expect(await deletedIds([line])).toEqual([]);
    expect(heard).toEqual([]);
  });

  test('a ban removes them too; who may not time the user out removes nothing', async () => {
    const { streamer, moderator, troll, bystander, stream } = await room();
    const lines = [await say(troll.user.id, stream.id, 'one'), await say(troll.user.id, stream.id, 'two')];
    const modLine = await say(moderator.user.id, stream.id, 'please stop');
    const input = { streamId: stream.id, userId: troll.user.id, reason: 'spam', removeRecent: true };
    expect((await refusal(banFromChannel(deps, bystander.user, input))).code).toBe('FORBIDDEN');
    const otherStreamer = await createTestUser(deps, { role: 'streamer' });
    expect((await refusal(banFromChannel(deps, otherStreamer.user, input))).code).toBe('FORBIDDEN');
    // A channel moderator cannot restrict the streamer, so cannot remove the streamer's lines either.
    const streamerLine = await say(streamer.user.id, stream.id, 'hi all');
    expect(
      (await refusal(banFromChannel(deps, moderator.user, { ...input, userId: streamer.user.id }))).code,
    ).toBe('FORBIDDEN');
    expect(await deletedIds([...lines, modLine, streamerLine])).toEqual([]);

    const banned = await banFromChannel(deps, moderator.user, input);
    expect(banned.removedMessages).toBe(2);
    expect(await deletedIds([...lines, modLine, streamerLine])).toEqual(lines);
  });

  test('a refused timeout removes nothing: the restriction and the removal are one transaction', async () => {
    const { streamer, troll, stream } = await room();
    await banFromChannel(deps, streamer.user, { streamId: stream.id, userId: troll.user.id, reason: 'gone' });
    // Lines stored before the ban (as a bystander's client might still show them).
    const [line] = await deps.db
      .insert(messages)
      .values({
        kind: 'chat',
        streamId: stream.id,
        senderId: troll.user.id,
        body: 'before the ban',
        createdAt: clock.now(),
      })
      .returning({ id: messages.id });
    const error = await refusal(
      timeoutUser(deps, streamer.user, {
        streamId: stream.id,
        userId: troll.user.id,
        seconds: 60,
        reason: 'spam',
        removeRecent: true,
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(await deletedIds([line!.id])).toEqual([]);
  });
});
