import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { channelBans, channelModerators } from '../schema/moderation.ts';
import { userFollows } from '../schema/social.ts';
import type { StreamSettings } from '../schema/streams.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import {
  type ChatPost,
  ChatPostError,
  type ChatPostOutcome,
  chatEventAppend,
  chatEventAppendMany,
  chatPostMany,
} from './chat.ts';
import { sqlState } from './db-errors.ts';
import { EngineRefusal } from './refusals.ts';
import { insertStream, insertUser } from './testing.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DUPLICATE_SECONDS = 30;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** A live room and a viewer in it. */
async function room(settings: StreamSettings = {}, status: 'draft' | 'live' | 'ended' = 'live') {
  const streamerId = await insertUser(database.db, { role: 'streamer' });
  const viewerId = await insertUser(database.db);
  const streamId = await insertStream(database.db, streamerId, { status, settings });
  return { streamerId, viewerId, streamId };
}

const line = (streamId: string, senderId: string, text: string, extra: Partial<ChatPost> = {}): ChatPost => ({
  streamId,
  senderId,
  kind: 'chat',
  text,
  clientMessageId: crypto.randomUUID(),
  ...extra,
});

async function post(one: ChatPost, now = NOW): Promise<ChatPostOutcome> {
  const [outcome] = await chatPostMany(database.db, [one], { now, duplicateSeconds: DUPLICATE_SECONDS });
  return outcome!;
}

function refusal(outcome: ChatPostOutcome): EngineRefusal {
  if (outcome.ok || !('refusal' in outcome))
    throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  expect(outcome.refusal).toBeInstanceOf(EngineRefusal);
  return outcome.refusal;
}

describe('chatPostMany', () => {
  test('stores a line and returns its event, message id and payload; the same client id replays it', async () => {
    const { streamerId, viewerId, streamId } = await room();
    const first = line(streamId, streamerId, 'welcome');
    const [stored] = await chatPostMany(database.db, [first], {
      now: NOW,
      duplicateSeconds: DUPLICATE_SECONDS,
    });
    if (!stored?.ok) throw new Error('not stored');
    expect(stored.replayed).toBe(false);
    expect(typeof stored.eventId).toBe('number');
    expect(stored.messageId).toBe(stored.payload.id);
    expect(stored.payload).toMatchObject({
      type: 'chat.message',
      streamId,
      kind: 'chat',
      text: 'welcome',
      tip: null,
      createdAt: NOW.toISOString(),
      sender: { id: streamerId, badges: ['streamer'] },
    });
    expect(await post(first, at(5))).toEqual({ ...stored, replayed: true });
    const anonymous = await post(
      line(streamId, viewerId, 'tip', { kind: 'tip', metadata: { anonymous: true } }),
    );
    expect(anonymous.ok && anonymous.payload.sender).toBeNull();
  });

  test('badges: the streamer, a channel moderator, a platform admin and a platform moderator are told apart', async () => {
    const { streamerId, viewerId, streamId } = await room();
    const channelModId = await insertUser(database.db);
    const adminId = await insertUser(database.db, { role: 'admin' });
    const platformModId = await insertUser(database.db, { role: 'moderator' });
    await database.db.insert(channelModerators).values({ channelId: streamerId, userId: channelModId });
    const badges = async (senderId: string) => {
      const outcome = await post(line(streamId, senderId, `hello from ${senderId}`));
      if (!outcome.ok) throw new Error('not stored');
      return outcome.payload.sender?.badges;
    };
    expect(await badges(streamerId)).toEqual(['streamer']);
    expect(await badges(channelModId)).toEqual(['moderator']);
    expect(await badges(adminId)).toEqual(['admin']);
    expect(await badges(platformModId)).toEqual(['staff']);
    expect(await badges(viewerId)).toEqual([]);
  });

  test('a stream that does not exist: STREAM_NOT_FOUND', async () => {
    const { viewerId } = await room();
    expect(refusal(await post(line(crypto.randomUUID(), viewerId, 'hi')))).toMatchObject({
      code: 'STREAM_NOT_FOUND',
      sqlState: 'LU001',
    });
  });

  test('a sender that does not exist: USER_NOT_FOUND, not a missing stream', async () => {
    const { streamId } = await room();
    expect(refusal(await post(line(streamId, crypto.randomUUID(), 'hi')))).toMatchObject({
      code: 'USER_NOT_FOUND',
      sqlState: 'LU002',
      detail: {},
    });
  });

  test('a stream that is not live: NOT_LIVE with its status', async () => {
    for (const status of ['draft', 'ended'] as const) {
      const { viewerId, streamId } = await room({}, status);
      expect(refusal(await post(line(streamId, viewerId, 'hi')))).toMatchObject({
        code: 'NOT_LIVE',
        detail: { status },
      });
    }
  });

  test('a banned sender: CHAT_BANNED with the reason, or null without one', async () => {
    const { streamerId, viewerId, streamId } = await room();
    const otherId = await insertUser(database.db);
    await database.db.insert(channelBans).values([
      { channelId: streamerId, userId: viewerId, reason: 'spam' },
      { channelId: streamerId, userId: otherId },
    ]);
    expect(refusal(await post(line(streamId, viewerId, 'hi')))).toMatchObject({
      code: 'CHAT_BANNED',
      sqlState: 'LU009',
      detail: { reason: 'spam' },
    });
    expect(refusal(await post(line(streamId, otherId, 'hi'))).detail).toEqual({ reason: null });
  });

  test('a timed-out sender: CHAT_TIMED_OUT until when and why; after it, the line is stored', async () => {
    const { streamerId, viewerId, streamId } = await room();
    const until = at(600);
    await database.db
      .insert(channelBans)
      .values({ channelId: streamerId, userId: viewerId, reason: 'calm down', expiresAt: until });
    expect(refusal(await post(line(streamId, viewerId, 'hi')))).toMatchObject({
      code: 'CHAT_TIMED_OUT',
      sqlState: 'LU010',
      detail: { until: until.toISOString(), reason: 'calm down' },
    });
    expect((await post(line(streamId, viewerId, 'hi'), at(601))).ok).toBe(true);
  });

  test('followers-only and verified-only rooms refuse the others', async () => {
    const followers = await room({ chatMode: 'followers' });
    expect(refusal(await post(line(followers.streamId, followers.viewerId, 'hi')))).toMatchObject({
      code: 'FOLLOWERS_ONLY',
      sqlState: 'LU011',
    });
    await database.db
      .insert(userFollows)
      .values({ followerId: followers.viewerId, followeeId: followers.streamerId });
    expect((await post(line(followers.streamId, followers.viewerId, 'hi'))).ok).toBe(true);
    const verified = await room({ chatMode: 'verified' });
    expect(refusal(await post(line(verified.streamId, verified.viewerId, 'hi')))).toMatchObject({
      code: 'VERIFIED_ONLY',
      sqlState: 'LU012',
    });
  });

  test('slow mode: SLOW_MODE with the whole seconds left', async () => {
    const { viewerId, streamId } = await room({ slowModeSeconds: 30 });
    expect((await post(line(streamId, viewerId, 'one'))).ok).toBe(true);
    const early = refusal(await post(line(streamId, viewerId, 'two'), at(26.5)));
    expect(early).toMatchObject({ code: 'SLOW_MODE', sqlState: 'LU013', detail: { secondsLeft: 4 } });
  });

  test('the same text again within the duplicate window: DUPLICATE', async () => {
    const { viewerId, streamId } = await room();
    expect((await post(line(streamId, viewerId, 'same'))).ok).toBe(true);
    expect(refusal(await post(line(streamId, viewerId, 'same'), at(1)))).toMatchObject({
      code: 'DUPLICATE',
      sqlState: 'LU014',
    });
    expect((await post(line(streamId, viewerId, 'same'), at(DUPLICATE_SECONDS + 1))).ok).toBe(true);
  });

  test('one refused post does not undo the others of its batch; outcomes come in the order of the posts', async () => {
    const { viewerId, streamId } = await room({ chatMode: 'verified' });
    const verifiedId = await insertUser(database.db, { ageVerified: true });
    const posts = [
      line(streamId, verifiedId, 'a'),
      line(streamId, viewerId, 'b'),
      line(streamId, verifiedId, 'c'),
    ];
    const outcomes = await chatPostMany(database.db, posts, {
      now: NOW,
      duplicateSeconds: DUPLICATE_SECONDS,
    });
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(refusal(outcomes[1]!).code).toBe('VERIFIED_ONLY');
    const [first, , third] = outcomes;
    if (!first?.ok || !third?.ok) throw new Error('not stored');
    expect(third.eventId).toBeGreaterThan(first.eventId);
    const stored = await database.query<{ body: string }>(
      'SELECT body FROM messages WHERE stream_id = $1 ORDER BY id',
      [streamId],
    );
    expect(stored.map((row) => row.body)).toEqual(['a', 'c']);
  });

  test('a client id taken by a line stored meanwhile is a unique violation, for the caller to retry', async () => {
    const { viewerId, streamId } = await room();
    // What the racing send leaves when this one looks: its message, without its event yet.
    await database.query(
      `INSERT INTO messages (kind, stream_id, sender_id, body, client_message_id) VALUES ('chat', $1, $2, 'x', 'c-1')`,
      [streamId, viewerId],
    );
    expect(await post(line(streamId, viewerId, 'y', { clientMessageId: 'c-1' }))).toEqual({
      ok: false,
      uniqueViolation: true,
    });
  });

  test('any other error of a post comes back as that post’s error with its SQLSTATE', async () => {
    const { viewerId, streamId } = await room();
    const outcome = await post(line(streamId, viewerId, 'x'.repeat(2001)));
    if (outcome.ok || !('error' in outcome)) throw new Error('expected an error');
    expect(outcome.error).toBeInstanceOf(ChatPostError);
    expect(sqlState(outcome.error)).toBe('23514');
  });
});

describe('chatEventAppend', () => {
  test('returns increasing ids and stores the payload as an object', async () => {
    const { streamId } = await room();
    const ids: number[] = [];
    for (const count of [1, 2, 3]) {
      const payload = { type: 'chat.reaction', streamId, messageId: null, emoji: '🔥', count };
      ids.push(await chatEventAppend(database.db, { streamId, kind: 'reaction', messageId: null, payload }));
    }
    ids.push(
      await database.db.transaction((tx) =>
        chatEventAppend(tx, { streamId, kind: 'delete', messageId: 1, payload: { type: 'chat.deleted' } }),
      ),
    );
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    const rows = await database.query<{ kind: string; type: string }>(
      `SELECT kind, jsonb_typeof(payload) AS type FROM chat_events WHERE stream_id = $1 ORDER BY id`,
      [streamId],
    );
    expect(rows).toEqual([
      { kind: 'reaction', type: 'object' },
      { kind: 'reaction', type: 'object' },
      { kind: 'reaction', type: 'object' },
      { kind: 'delete', type: 'object' },
    ]);
  });

  test('several at once: one id per event, in their order, after the room’s earlier ones', async () => {
    const { streamId } = await room();
    const before = await chatEventAppend(database.db, {
      streamId,
      kind: 'reaction',
      messageId: null,
      payload: { type: 'chat.reaction' },
    });
    const deletions = [7, 8, 9].map((messageId) => ({
      streamId,
      kind: 'delete' as const,
      messageId,
      payload: { type: 'chat.deleted', streamId, messageId },
    }));
    const ids = await database.db.transaction((tx) => chatEventAppendMany(tx, deletions));
    expect(ids).toHaveLength(3);
    expect(ids.every((id) => id > before)).toBe(true);
    const rows = await database.query<{ id: string; message_id: string; payload: { messageId: number } }>(
      `SELECT id, message_id, payload FROM chat_events WHERE stream_id = $1 AND kind = 'delete' ORDER BY id`,
      [streamId],
    );
    expect(rows.map((row) => [Number(row.id), Number(row.message_id), row.payload.messageId])).toEqual(
      [...ids].sort((a, b) => a - b).map((id) => [id, 7 + ids.indexOf(id), 7 + ids.indexOf(id)]),
    );
    expect(await chatEventAppendMany(database.db, [])).toEqual([]);
  });
});
