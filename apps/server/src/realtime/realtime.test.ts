import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { createApiClient, roomChannelId } from '@app/api/client';
import { createMemoryBus, createMemoryLimiters, sendChat } from '@app/core';
import { createTestStream, createTestUser } from '@app/core/testing';
import { createDatabase } from '@app/db/client';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
import { mutate, openSocket, sessionCookie, WEB_ORIGIN } from './testing.ts';

// Reconnects back off and viewer counts are re-announced every 2 s: a loaded CI machine needs more than 5 s.
setDefaultTimeout(20_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let database: TestDatabase;
let server: Awaited<ReturnType<typeof startServer>>;

async function start(port = 0, extra: Record<string, string> = {}) {
  const env = {
    ...parseEnv({
      DATABASE_URL: database.url,
      REDIS_URL,
      HOST: '127.0.0.1',
      CHAT_USER_LIMIT: '1000',
      ...extra,
    }),
    PORT: port,
  };
  return startServer(env, createLogger('silent'));
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await start();
});
afterAll(async () => {
  await server.stop();
  await database.drop();
});

async function liveRoom() {
  const deps = server.runtime.deps;
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  return {
    stream,
    streamer: { ...streamer, cookie: sessionCookie(streamer.token) },
    viewer: { ...viewer, cookie: sessionCookie(viewer.token) },
  };
}

const say = (streamId: string, text: string) => ({ streamId, text, clientMessageId: crypto.randomUUID() });

describe('chat.onStream over the websocket', () => {
  test('every viewer of a room gets the same bytes for an event; a plain subscription gets the same event', async () => {
    const { stream, viewer } = await liveRoom();
    const shared = roomChannelId(stream.id);
    const a = await openSocket(server.url);
    const b = await openSocket(server.url, viewer.cookie);
    const plain = await openSocket(server.url);
    a.subscribe(shared, stream.id);
    b.subscribe(shared, stream.id);
    plain.subscribe(7, stream.id);
    for (const socket of [a, b, plain]) {
      await socket.until(() => socket.frames.some((f) => f.result?.type === 'started'), 'started');
    }
    await Bun.sleep(50);
    const sent = await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'hello <b>room</b>'));
    expect(sent.ok).toBe(true);
    await a.until(() => a.texts(shared).length === 1, 'a');
    await b.until(() => b.texts(shared).length === 1, 'b');
    await plain.until(() => plain.texts(7).length === 1, 'plain');
    const frameOf = (socket: typeof a) => socket.frames.find((f) => f.raw.includes('hello <b>room</b>'))!.raw;
    expect(frameOf(a)).toBe(frameOf(b));
    expect(plain.events(7).at(-1)).toEqual(a.events(shared).at(-1)!);
    expect(a.events(shared).at(-1)).toMatchObject({
      type: 'chat.message',
      text: 'hello <b>room</b>',
      sender: { username: viewer.user.username },
    });
    // The arrival snapshot comes first: state, settings, viewers, goal.
    expect(
      a
        .events(shared)
        .slice(0, 4)
        .map((e) => e.type),
    ).toEqual(['stream.state', 'chat.settings', 'stream.viewers', 'goal.progress']);
    for (const socket of [a, b, plain]) socket.close();
  });

  test('a subscription that resumes after an event id gets what it missed once, deletions applied, then live', async () => {
    const { stream, viewer, streamer } = await liveRoom();
    const shared = roomChannelId(stream.id);
    const first = await openSocket(server.url);
    first.subscribe(shared, stream.id);
    await first.until(() => first.frames.some((f) => f.result?.type === 'started'), 'started');
    await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'one'));
    await first.until(() => first.texts(shared).includes('one'), 'one');
    const lastSeen = first.events(shared).at(-1)!.eventId as string;
    first.close();
    // While away: two messages, one of them deleted by the streamer.
    await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'two'));
    const three = await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'three (deleted)'));
    if (!three.ok) throw new Error(three.error.message);
    const messageId = (three.data.message as { id: number }).id;
    expect((await mutate(server.url, streamer.cookie, 'moderation.deleteMessage', { messageId })).ok).toBe(
      true,
    );
    const again = await openSocket(server.url);
    again.subscribe(shared, stream.id, lastSeen);
    await again.until(() => again.texts(shared).includes('two'), 'replay');
    await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'four'));
    await again.until(() => again.texts(shared).includes('four'), 'live after replay');
    expect(again.texts(shared)).toEqual(['two', 'four']);
    expect(again.events(shared).some((e) => e.type === 'chat.deleted' && e.messageId === messageId)).toBe(
      true,
    );
    const ids = again.events(shared).map((e) => Number(e.eventId));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    again.close();
  });

  test('the typed client reconnects after a server restart and catches up without loss or repeats', async () => {
    const { stream, viewer } = await liveRoom();
    const port = Number(new URL(server.url).port);
    const client = createApiClient({
      url: `${server.url}/trpc`,
      realtime: {
        WebSocket: class extends WebSocket {
          constructor(url: string | URL) {
            super(url, { headers: { origin: WEB_ORIGIN } } as never);
          }
        } as typeof WebSocket,
      },
    });
    const texts: string[] = [];
    const subscription = client.chat.onStream.subscribe(
      { streamId: stream.id },
      {
        onData: ({ data }) => {
          for (const event of data) if (event.type === 'chat.message') texts.push(event.text);
        },
      },
    );
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(texts)}`);
        await Bun.sleep(25);
      }
    };
    await Bun.sleep(300);
    await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'before restart'));
    await until(() => texts.length === 1, 'first message');
    await server.stop();
    // Stored while no server is up: nobody hears it live.
    const db = await createDatabase({ url: database.url });
    const offline = await sendChat(
      { ...server.runtime.deps, db: db.db, bus: createMemoryBus(), limiters: createMemoryLimiters() },
      viewer.user.id,
      say(stream.id, 'during restart'),
    );
    await db.close();
    expect(offline.replayed).toBe(false);
    server = await start(port);
    await until(() => texts.includes('during restart'), 'the missed message after reconnecting');
    await mutate(server.url, viewer.cookie, 'chat.send', say(stream.id, 'after restart'));
    await until(() => texts.includes('after restart'), 'live after reconnecting');
    expect(texts).toEqual(['before restart', 'during restart', 'after restart']);
    subscription.unsubscribe();
  });
});

describe('refusals and moderation over the websocket', () => {
  test('a timed-out user’s message is refused with the reason and time left; viewers see nothing', async () => {
    const { stream, viewer, streamer } = await liveRoom();
    const watcher = await openSocket(server.url);
    watcher.subscribe(1, stream.id);
    await watcher.until(() => watcher.frames.some((f) => f.result?.type === 'started'), 'started');
    const timeout = await mutate(server.url, streamer.cookie, 'moderation.timeout', {
      streamId: stream.id,
      userId: viewer.user.id,
      seconds: 600,
      reason: 'spam',
    });
    expect(timeout.ok).toBe(true);
    const speaker = await openSocket(server.url, viewer.cookie);
    speaker.send({
      id: 9,
      method: 'mutation',
      params: { path: 'chat.send', input: { json: say(stream.id, 'let me in') } },
    });
    await speaker.until(() => speaker.frames.some((f) => f.id === 9), 'reply');
    const reply = speaker.frames.find((f) => f.id === 9)!;
    expect(reply.error?.json.message).toBe('You are timed out in this chat for 10 min more. Reason: spam');
    expect(reply.error?.json.data).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'TIMED_OUT',
      retryAfterSeconds: 600,
    });
    await Bun.sleep(100);
    expect(watcher.texts(1)).toEqual([]);
    watcher.close();
    speaker.close();
  });

  test('a channel ban ends the user’s subscription to that channel at once', async () => {
    const { stream, viewer, streamer } = await liveRoom();
    const shared = roomChannelId(stream.id);
    const socket = await openSocket(server.url, viewer.cookie);
    socket.subscribe(shared, stream.id);
    await socket.until(() => socket.frames.some((f) => f.result?.type === 'started'), 'started');
    await Bun.sleep(50);
    const ban = await mutate(server.url, streamer.cookie, 'moderation.ban', {
      streamId: stream.id,
      userId: viewer.user.id,
      reason: 'harassment',
    });
    expect(ban.ok).toBe(true);
    await socket.until(() => socket.frames.some((f) => f.id === shared && f.error), 'the subscription error');
    expect(socket.frames.find((f) => f.id === shared && f.error)!.error!.json.data.code).toBe('FORBIDDEN');
    // Messages after the ban do not reach them.
    await mutate(server.url, streamer.cookie, 'chat.send', say(stream.id, 'after the ban'));
    await Bun.sleep(150);
    expect(socket.texts(shared)).not.toContain('after the ban');
    // And they cannot subscribe again.
    socket.subscribe('again', stream.id);
    await socket.until(() => socket.frames.some((f) => f.id === 'again'), 'refusal');
    expect(socket.frames.find((f) => f.id === 'again')!.error!.json.data.code).toBe('FORBIDDEN');
    socket.close();
  });

  test('a banned viewer who then closes the tab leaves the room to everyone else', async () => {
    const { stream, viewer, streamer } = await liveRoom();
    const other = await createTestUser(server.runtime.deps);
    const shared = roomChannelId(stream.id);
    const banned = await openSocket(server.url, viewer.cookie);
    const staying = await openSocket(server.url, sessionCookie(other.token));
    for (const socket of [banned, staying]) {
      socket.subscribe(shared, stream.id);
      await socket.until(() => socket.frames.some((f) => f.result?.type === 'started'), 'started');
    }
    await Bun.sleep(50);
    const ban = await mutate(server.url, streamer.cookie, 'moderation.ban', {
      streamId: stream.id,
      userId: viewer.user.id,
      reason: 'spam',
    });
    expect(ban.ok).toBe(true);
    await banned.until(() => banned.frames.some((f) => f.id === shared && f.error), 'the subscription error');
    banned.close();
    await banned.until(() => banned.closed !== null, 'the socket to close');
    await mutate(server.url, streamer.cookie, 'chat.send', say(stream.id, 'still here?'));
    await staying.until(() => staying.texts(shared).includes('still here?'), 'the message');
    staying.close();
  });

  test('a stopped room subscription gets no more of the room’s frames; the socket keeps working', async () => {
    const { stream, viewer, streamer } = await liveRoom();
    const shared = roomChannelId(stream.id);
    const stopping = await openSocket(server.url, viewer.cookie);
    const watching = await openSocket(server.url);
    for (const socket of [stopping, watching]) {
      socket.subscribe(shared, stream.id);
      await socket.until(() => socket.frames.some((f) => f.result?.type === 'started'), 'started');
    }
    stopping.send({ id: shared, method: 'subscription.stop' });
    await stopping.until(() => stopping.frames.some((f) => f.result?.type === 'stopped'), 'stopped');
    await mutate(server.url, streamer.cookie, 'chat.send', say(stream.id, 'after the stop'));
    await watching.until(() => watching.texts(shared).includes('after the stop'), 'the message');
    await Bun.sleep(150);
    expect(stopping.texts(shared)).not.toContain('after the stop');
    // Subscribing again brings the room back.
    stopping.subscribe(shared, stream.id);
    const started = () => stopping.frames.filter((f) => f.result?.type === 'started').length;
    await stopping.until(() => started() === 2, 'started again');
    await mutate(server.url, streamer.cookie, 'chat.send', say(stream.id, 'back again'));
    await stopping.until(
      () => stopping.texts(shared).includes('back again'),
      'the message after resubscribing',
    );
    stopping.close();
    watching.close();
  });

  test('a platform ban closes the banned user’s sockets at once', async () => {
    const { viewer } = await liveRoom();
    const admin = await createTestUser(server.runtime.deps, { role: 'admin' });
    const adminCookie = sessionCookie(admin.token);
    const socket = await openSocket(server.url, viewer.cookie);
    await Bun.sleep(100);
    const banned = await mutate(server.url, adminCookie, 'admin.banUser', {
      userId: viewer.user.id,
      reason: 'fraud',
    });
    expect(banned.ok).toBe(true);
    await socket.until(() => socket.closed !== null, 'the socket to close');
    expect(socket.closed!.code).toBe(4401);
  });

  test('the viewer count counts each viewer once (a guest once per address) and is announced to the room', async () => {
    const { stream, viewer } = await liveRoom();
    const shared = roomChannelId(stream.id);
    // One guest: three sockets from one address, each with several subscriptions; and one signed-in viewer.
    const guests = [await openSocket(server.url), await openSocket(server.url), await openSocket(server.url)];
    for (const socket of guests) {
      socket.subscribe(shared, stream.id);
      for (let i = 0; i < 10; i++) socket.subscribe(i, stream.id);
    }
    const signedIn = await openSocket(server.url, viewer.cookie);
    signedIn.subscribe(5, stream.id);
    signedIn.subscribe(6, stream.id);
    const [a] = guests as [(typeof guests)[number]];
    const count = () =>
      a
        .events(shared)
        .filter((e) => e.type === 'stream.viewers')
        .at(-1)?.count;
    await a.until(() => count() === 2, 'a count of 2', 6000);
    // The next announcement (every 2 s) still counts two.
    await Bun.sleep(2500);
    expect(count()).toBe(2);
    signedIn.close();
    await a.until(() => count() === 1, 'a count of 1', 6000);
    for (const socket of guests) socket.close();
  });

  test('sockets per address (guests) and per user are capped; a refused socket closes with 4429 and a sentence', async () => {
    const capped = await start(0, { WS_MAX_SOCKETS_PER_ADDRESS: '3', WS_MAX_SOCKETS_PER_USER: '2' });
    try {
      const { viewer } = await liveRoom();
      const guests = await Promise.all([1, 2, 3, 4].map(() => openSocket(capped.url)));
      await guests[0]!.until(() => guests.some((socket) => socket.closed !== null), 'one guest refused');
      await Bun.sleep(200);
      const refused = guests.filter((socket) => socket.closed !== null);
      expect(refused.length).toBe(1);
      expect(refused[0]!.closed).toEqual({
        code: 4429,
        reason: 'At most 3 live connections per network; close another tab or sign in.',
      });
      const mine = await Promise.all([1, 2, 3].map(() => openSocket(capped.url, viewer.cookie)));
      await mine[0]!.until(() => mine.some((socket) => socket.closed !== null), 'one of the user’s refused');
      await Bun.sleep(200);
      expect(mine.filter((socket) => socket.closed?.code === 4429).length).toBe(1);
      // A closed socket gives its place back.
      guests.find((socket) => socket.closed === null)!.close();
      await Bun.sleep(200);
      const again = await openSocket(capped.url);
      again.call('me', 'query', 'auth.me', null);
      await again.until(() => again.answer('me') !== undefined, 'a reply');
      expect(again.closed).toBeNull();
      for (const socket of [...guests, ...mine, again]) socket.close();
    } finally {
      await capped.stop();
    }
  });

  test('a socket with a malformed session cookie is a signed-out socket that works', async () => {
    const socket = await openSocket(server.url, 'lumen_session=%E0%A4%A');
    socket.call('me', 'query', 'auth.me', null);
    await socket.until(() => socket.answer('me') !== undefined, 'a reply');
    expect(socket.answer('me')!.result).toMatchObject({ type: 'data', data: { json: null } });
    socket.close();
  });

  test('malformed frames get a clear error and the connection keeps working; subscriptions per socket are capped', async () => {
    const { stream } = await liveRoom();
    const socket = await openSocket(server.url);
    socket.socket.send('not json');
    socket.send({ method: 'query', params: { path: 'auth.me', input: {} } });
    socket.send({ id: 3, method: 'query', params: { path: 'no.such.procedure', input: {} } });
    await socket.until(() => socket.frames.filter((f) => f.error).length === 3, 'three errors');
    expect(socket.frames.map((f) => f.error?.json.message)).toEqual([
      'Messages must be JSON.',
      'A request id is required.',
      'No "query"-procedure on path "no.such.procedure"',
    ]);
    for (let i = 0; i < 33; i++) socket.subscribe(100 + i, stream.id);
    await socket.until(() => socket.frames.some((f) => f.id === 132 && f.error), 'the 33rd to be refused');
    expect(socket.frames.find((f) => f.id === 132)!.error!.json.data.code).toBe('TOO_MANY_REQUESTS');
    socket.send({ id: 'me', method: 'query', params: { path: 'auth.me', input: { json: null } } });
    await socket.until(() => socket.frames.some((f) => f.id === 'me'), 'a normal reply');
    expect(socket.frames.find((f) => f.id === 'me')!.result?.type).toBe('data');
    socket.close();
  });
});
