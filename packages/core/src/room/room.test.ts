import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chatEvents, messages, moderationLogs, userFollows } from '@app/db/schema';
import { and, eq } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { reactToMessage } from '../chat/reactions.ts';
import { chatHistoryInput, sendChatInput } from '../chat/schemas.ts';
import type { ChatMessage } from '../events/room.ts';
import { createMemoryLimiters, DEFAULT_RATE_LIMITS } from '../infra/rate-limits.ts';
import type { BusEvent } from '../kernel/ports.ts';
import {
  banFromChannel,
  deleteChatMessage,
  setChatMode,
  timeoutUser,
  unbanFromChannel,
} from '../moderation/chat-actions.ts';
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
import { openRoomFeed, type RoomFeedItem } from './feed.ts';
import { tipInRoom } from './tips.ts';

let deps: TestDeps;
const clock = manualClock(new Date());
beforeAll(async () => {
  deps = await createTestDeps({
    clock,
    // Generous enough that only the tests about limits meet them.
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

let n = 0;
const say = (streamId: string, text: string, clientMessageId = `client-${++n}-${crypto.randomUUID()}`) =>
  sendChatInput.parse({ streamId, text, clientMessageId });

async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  return { streamer, viewer, stream };
}

/** Every bus event of a room, in order. */
function record(streamId: string) {
  const heard: BusEvent[] = [];
  const stop = deps.bus.subscribe(`stream:${streamId}`, (event: BusEvent) => heard.push(event));
  return { heard, stop };
}

describe('sending chat', () => {
  test('a message is stored before it is announced, once, with the sender and the text as written', async () => {
    const { viewer, stream } = await room();
    const storedWhenHeard: boolean[] = [];
    const heard: BusEvent[] = [];
    deps.bus.subscribe(`stream:${stream.id}`, (event) => {
      heard.push(event);
      // Checked synchronously: by the time anyone hears of it, the row must exist.
      deps.db
        .select()
        .from(messages)
        .where(eq(messages.id, event.id as number))
        .then((rows) => storedWhenHeard.push(rows.length === 1));
    });
    const text = '<script>alert("hi")</script> & “quotes” 🎉 @someone';
    const sent = await sendChat(deps, viewer.user.id, say(stream.id, text));
    await Bun.sleep(20);
    expect(sent.message).toMatchObject({
      type: 'chat.message',
      kind: 'chat',
      text,
      sender: { id: viewer.user.id, username: viewer.user.username, badges: [] },
      tip: null,
    });
    expect(heard).toEqual([expect.objectContaining({ id: sent.message.id, text, eventId: sent.eventId })]);
    expect(storedWhenHeard).toEqual([true]);
    const [row] = await deps.db.select().from(messages).where(eq(messages.id, sent.message.id));
    expect(row!.body).toBe(text);
  });

  test('a retry with the same client id is stored and announced once', async () => {
    const { viewer, stream } = await room();
    const { heard } = record(stream.id);
    const input = say(stream.id, 'hello once');
    const [a, b] = await Promise.all([
      sendChat(deps, viewer.user.id, input),
      sendChat(deps, viewer.user.id, input),
    ]);
    const c = await sendChat(deps, viewer.user.id, input);
    expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(1);
    expect(c.replayed).toBe(true);
    expect(heard).toHaveLength(1);
    const rows = await deps.db.select().from(messages).where(eq(messages.streamId, stream.id));
    expect(rows).toHaveLength(1);
  });

  test('a burst of posts to one room is stored in arrival order; a refused one among them leaves the rest', async () => {
    const { streamer, viewer, stream } = await room();
    const muted = await createTestUser(deps);
    await timeoutUser(deps, streamer.user, {
      streamId: stream.id,
      userId: muted.user.id,
      seconds: 60,
      reason: 'x',
    });
    const { heard } = record(stream.id);
    const posts = Array.from({ length: 30 }, (_, i) =>
      i === 12
        ? sendChat(deps, muted.user.id, say(stream.id, 'muted'))
        : sendChat(deps, viewer.user.id, say(stream.id, `burst ${i}`)),
    );
    const results = await Promise.allSettled(posts);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.reason),
    ).toEqual(['TIMED_OUT']);
    const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(stored.map((s) => s.message.text)).toEqual(
      Array.from({ length: 30 }, (_, i) => `burst ${i}`).filter((t) => t !== 'burst 12'),
    );
    const ids = stored.map((s) => s.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(heard.map((e) => e.text)).toEqual(stored.map((s) => s.message.text));
  });

  test('the streamer, a channel moderator and staff carry badges', async () => {
    const { streamer, stream } = await room();
    const admin = await createTestUser(deps, { role: 'admin' });
    const fromStreamer = await sendChat(deps, streamer.user.id, say(stream.id, 'welcome!'));
    const fromAdmin = await sendChat(deps, admin.user.id, say(stream.id, 'hi from staff'));
    expect(fromStreamer.message.sender?.badges).toEqual(['streamer']);
    expect(fromAdmin.message.sender?.badges).toEqual(['admin']);
  });

  test('the same text twice within 30 s is refused; after 30 s it is fine', async () => {
    const { viewer, stream } = await room();
    await sendChat(deps, viewer.user.id, say(stream.id, 'spam spam'));
    const again = await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'spam spam')));
    expect(again.reason).toBe('DUPLICATE');
    expect(again.message).toContain('You just sent that');
    clock.advance(31);
    await sendChat(deps, viewer.user.id, say(stream.id, 'spam spam'));
  });

  test('chat is closed on a stream that is not live', async () => {
    const { streamer, viewer } = await room();
    const ended = await createTestStream(deps, streamer.user.id, { status: 'ended' });
    const error = await refusal(sendChat(deps, viewer.user.id, say(ended.id, 'hello?')));
    expect(error.reason).toBe('NOT_LIVE');
    expect(error.message).toContain('ended');
  });

  test('bad input is refused with a sentence', () => {
    const streamId = crypto.randomUUID();
    expect(() => say(streamId, '   ')).toThrow('Type a message first.');
    expect(() => say(streamId, 'x'.repeat(501))).toThrow('Messages are at most 500 characters.');
    expect(() => say(streamId, 'bell\u0007')).toThrow('The message contains a control character');
    expect(sendChatInput.safeParse({ streamId, text: 'hi', clientMessageId: 'x' }).success).toBe(false);
  });
});

describe('restrictions: refused with the reason and the time left, and never announced', () => {
  test('a timed-out user is told how long is left; after it ends they can chat', async () => {
    const { streamer, viewer, stream } = await room();
    const { heard } = record(stream.id);
    await timeoutUser(deps, streamer.user, {
      streamId: stream.id,
      userId: viewer.user.id,
      seconds: 300,
      reason: 'caps lock',
    });
    const error = await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'let me talk')));
    expect(error.reason).toBe('TIMED_OUT');
    expect(error.message).toBe('You are timed out in this chat for 5 min more. Reason: caps lock');
    expect(error.retryAfterSeconds).toBe(300);
    expect(heard).toHaveLength(0);
    clock.advance(301);
    await sendChat(deps, viewer.user.id, say(stream.id, 'back again'));
    expect(heard).toHaveLength(1);
  });

  test('a user banned from the room cannot chat until unbanned, and is told why', async () => {
    const { streamer, viewer, stream } = await room();
    await banFromChannel(deps, streamer.user, {
      streamId: stream.id,
      userId: viewer.user.id,
      reason: 'slurs',
    });
    const error = await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'hello')));
    expect(error.reason).toBe('BANNED_FROM_CHAT');
    expect(error.message).toBe('You are banned from this chat. Reason: slurs');
    await unbanFromChannel(deps, streamer.user, { streamId: stream.id, userId: viewer.user.id });
    await sendChat(deps, viewer.user.id, say(stream.id, 'thanks'));
  });

  test('slow mode allows one message per N seconds per user, and says when the next is allowed', async () => {
    const { streamer, viewer, stream } = await room();
    await setChatMode(deps, streamer.user, { streamId: stream.id, slowModeSeconds: 10 });
    await sendChat(deps, viewer.user.id, say(stream.id, 'first'));
    clock.advance(4);
    const error = await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'second')));
    expect(error.reason).toBe('SLOW_MODE');
    expect(error.retryAfterSeconds).toBe(6);
    expect(error.message).toContain('in 6 s');
    // The streamer is not slowed down.
    await sendChat(deps, streamer.user.id, say(stream.id, 'a'));
    await sendChat(deps, streamer.user.id, say(stream.id, 'b'));
    clock.advance(6);
    await sendChat(deps, viewer.user.id, say(stream.id, 'second'));
  });

  test('followers-only and verified-only chat', async () => {
    const { streamer, viewer, stream } = await room();
    await setChatMode(deps, streamer.user, { streamId: stream.id, chatMode: 'followers' });
    expect((await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'hi')))).reason).toBe(
      'FOLLOWERS_ONLY',
    );
    await deps.db.insert(userFollows).values({ followerId: viewer.user.id, followeeId: streamer.user.id });
    await sendChat(deps, viewer.user.id, say(stream.id, 'hi'));
    await setChatMode(deps, streamer.user, { streamId: stream.id, chatMode: 'verified' });
    expect((await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'hi again')))).reason).toBe(
      'VERIFIED_ONLY',
    );
    const verified = await createTestUser(deps, { ageVerified: true });
    await sendChat(deps, verified.user.id, say(stream.id, 'verified hello'));
  });

  test('per-user and per-room rate limits refuse with the wait, and publish nothing', async () => {
    const limited = await createTestDeps({
      limiters: createMemoryLimiters({
        ...DEFAULT_RATE_LIMITS,
        chatByUser: { count: 3, windowSeconds: 30 },
        chatByRoom: { count: 5, windowSeconds: 60 },
      }),
    });
    try {
      const streamer = await createTestUser(limited, { role: 'streamer' });
      const stream = await createTestStream(limited, streamer.user.id);
      const a = await createTestUser(limited);
      const b = await createTestUser(limited);
      const heard: BusEvent[] = [];
      limited.bus.subscribe(`stream:${stream.id}`, (event) => heard.push(event));
      for (let i = 0; i < 3; i++) await sendChat(limited, a.user.id, say(stream.id, `a${i}`));
      const user = await refusal(sendChat(limited, a.user.id, say(stream.id, 'a3')));
      expect(user.reason).toBe('RATE_LIMITED');
      expect(user.message).toMatch(/^You are sending messages too fast\. Wait \d+ s and try again\.$/);
      expect(user.retryAfterSeconds).toBeGreaterThan(0);
      await sendChat(limited, b.user.id, say(stream.id, 'b0'));
      await sendChat(limited, b.user.id, say(stream.id, 'b1'));
      const busy = await refusal(sendChat(limited, b.user.id, say(stream.id, 'b2')));
      expect(busy.message).toContain('This chat is very busy');
      expect(heard).toHaveLength(5);
    } finally {
      await limited.database.drop();
    }
    // It migrates a database of its own, which takes seconds on a loaded machine.
  }, 30_000);
});

describe('history, deletion and resume', () => {
  test('history pages back with a cursor, oldest first, without deleted messages', async () => {
    const { streamer, viewer, stream } = await room();
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 7; i++)
      sent.push((await sendChat(deps, viewer.user.id, say(stream.id, `line ${i}`))).message);
    await deleteChatMessage(deps, streamer.user, { messageId: sent[5]!.id, reason: 'spoiler' });
    const first = await roomChatHistory(
      deps,
      null,
      chatHistoryInput.parse({ streamId: stream.id, limit: 4 }),
    );
    expect(first.items.map((m) => m.text)).toEqual(['line 2', 'line 3', 'line 4', 'line 6']);
    const older = await roomChatHistory(
      deps,
      null,
      chatHistoryInput.parse({ streamId: stream.id, limit: 4, cursor: first.nextCursor }),
    );
    expect(older.items.map((m) => m.text)).toEqual(['line 0', 'line 1']);
    expect(older.nextCursor).toBeNull();
    const [latest] = await deps.db
      .select({ id: chatEvents.id })
      .from(chatEvents)
      .where(eq(chatEvents.streamId, stream.id))
      .orderBy(chatEvents.id);
    expect(Number(first.lastEventId)).toBeGreaterThan(latest!.id);
  });

  test('a feed that resumes after an event id replays what it missed, deletions included, then goes live', async () => {
    const { streamer, viewer, stream } = await room();
    const a = await sendChat(deps, viewer.user.id, say(stream.id, 'seen before the drop'));
    const b = await sendChat(deps, viewer.user.id, say(stream.id, 'missed, then deleted'));
    const c = await sendChat(deps, viewer.user.id, say(stream.id, 'missed'));
    await deleteChatMessage(deps, streamer.user, { messageId: b.message.id });
    const feed = await openRoomFeed(deps, null, { streamId: stream.id, lastEventId: String(a.eventId) });
    const abort = new AbortController();
    const batches: RoomFeedItem[] = [];
    const reading = (async () => {
      for await (const batch of feed.iterate(abort.signal)) {
        batches.push(batch);
        if (
          batch.events.some((event) => event.type === 'chat.message' && event.text === 'live after resume')
        ) {
          abort.abort();
        }
      }
    })();
    await Bun.sleep(50);
    await sendChat(deps, viewer.user.id, say(stream.id, 'live after resume'));
    await reading;
    const events = batches.flatMap((batch) => batch.events);
    const stored = events.filter((event) => event.type.startsWith('chat.') && event.type !== 'chat.settings');
    expect(stored.map((event) => (event.type === 'chat.message' ? event.text : event.type))).toEqual([
      'missed',
      'chat.deleted',
      'live after resume',
    ]);
    // The first batch is the arrival snapshot plus the replay; its id is the last replayed event's.
    expect(batches[0]!.events.slice(0, 4).map((event) => event.type)).toEqual([
      'stream.state',
      'chat.settings',
      'stream.viewers',
      'goal.progress',
    ]);
    expect(Number(batches[0]!.id)).toBeGreaterThan(c.eventId);
    // Ids only grow: the client resumes from whichever it saw last.
    const ids = batches.map((batch) => Number(batch.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  test('only the room’s streamer, its moderators and staff can delete; the log says who, whom and why', async () => {
    const { streamer, viewer, stream } = await room();
    const other = await createTestUser(deps, { role: 'streamer' });
    const sent = await sendChat(deps, viewer.user.id, say(stream.id, 'rude'));
    expect((await refusal(deleteChatMessage(deps, other.user, { messageId: sent.message.id }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await refusal(deleteChatMessage(deps, viewer.user, { messageId: sent.message.id }))).code).toBe(
      'FORBIDDEN',
    );
    await deleteChatMessage(deps, streamer.user, { messageId: sent.message.id, reason: 'rude' });
    const [entry] = await deps.db
      .select()
      .from(moderationLogs)
      .where(and(eq(moderationLogs.messageId, sent.message.id), eq(moderationLogs.action, 'delete_message')));
    expect(entry).toMatchObject({ actorId: streamer.user.id, targetUserId: viewer.user.id, reason: 'rude' });
  });
});

describe('reactions and tips', () => {
  test('a reaction toggles and every viewer sees the count', async () => {
    const { streamer, viewer, stream } = await room();
    const sent = await sendChat(deps, streamer.user.id, say(stream.id, 'new song!'));
    const { heard } = record(stream.id);
    expect(
      await reactToMessage(deps, viewer.user.id, { messageId: sent.message.id, emoji: '🔥' }),
    ).toMatchObject({
      count: 1,
      reacted: true,
    });
    expect(
      await reactToMessage(deps, viewer.user.id, { messageId: sent.message.id, emoji: '🔥' }),
    ).toMatchObject({
      count: 0,
      reacted: false,
    });
    await reactToMessage(deps, viewer.user.id, { messageId: sent.message.id, emoji: '❤️' });
    expect(heard.map((event) => [event.type, event.emoji, event.count])).toEqual([
      ['chat.reaction', '🔥', 1],
      ['chat.reaction', '🔥', 0],
      ['chat.reaction', '❤️', 1],
    ]);
    const history = await roomChatHistory(deps, null, chatHistoryInput.parse({ streamId: stream.id }));
    expect(history.items[0]!.reactions).toEqual({ '❤️': 1 });
  });

  test('a tip appears in chat as a tip line and in history', async () => {
    const { viewer, stream } = await room();
    await fundWallet(deps, viewer.user.id, 100);
    const { heard } = record(stream.id);
    await tipInRoom(deps, viewer.user.id, {
      streamId: stream.id,
      amountTokens: 40,
      note: 'for the song',
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(heard[0]).toMatchObject({
      type: 'chat.message',
      kind: 'tip',
      text: 'for the song',
      tip: { amountTokens: 40 },
    });
    const history = await roomChatHistory(deps, null, chatHistoryInput.parse({ streamId: stream.id }));
    expect(history.items.map((m) => m.kind)).toEqual(['tip']);
  });
});
