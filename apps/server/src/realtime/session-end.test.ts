// Every way a session ends closes its sockets on every node: two server processes sharing Postgres and Redis,
// and a third whose sessions live a few seconds, for expiry.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import { sessions } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import {
  mutate,
  openSocket,
  query,
  type ServerNode,
  sessionCookie,
  startNode,
  stopNodes,
} from './testing.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The short-lived node's session lifetime: use refreshes a session after half of it. */
const SHORT_SESSION_SECONDS = 3;

let deps: TestDeps;
let a: ServerNode;
let b: ServerNode;
let short: ServerNode;

beforeAll(async () => {
  deps = await createTestDeps();
  const env = { DATABASE_URL: deps.database.url, REDIS_URL };
  [a, b, short] = await Promise.all([
    startNode(env),
    startNode(env),
    startNode({ ...env, SESSION_INACTIVITY_SECONDS: String(SHORT_SESSION_SECONDS) }),
  ]);
}, 30_000);
afterAll(async () => {
  await stopNodes([a, b, short].filter(Boolean));
  await deps.database.drop();
});

/** A second session of the same user, as a second device's sign-in makes it. */
async function signInAgain(username: string) {
  const response = await fetch(`${a.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
    body: JSON.stringify({ json: { login: username, password: 'correct horse battery' } }),
  });
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return cookie;
}

/** Waits for `socket` to close; returns how long it took since `since`. */
async function closedWithin(socket: Awaited<ReturnType<typeof openSocket>>, since: number, what: string) {
  await socket.until(() => socket.closed !== null, what, 3000);
  expect(socket.closed!.code).toBe(4401);
  return Date.now() - since;
}

/** A socket counts as watched once its session's topic is heard on its node. */
const settle = () => Bun.sleep(150);

describe('a session’s sockets close on every node when it ends', () => {
  test('logout on node A closes that session’s socket on node B within a second; other sessions’ sockets stay', async () => {
    const viewer = await createTestUser(deps);
    const otherDevice = await signInAgain(viewer.user.username);
    const mine = await openSocket(b.url, sessionCookie(viewer.token));
    const theirs = await openSocket(b.url, otherDevice);
    await settle();
    const startedAt = Date.now();
    expect((await mutate(a.url, sessionCookie(viewer.token), 'auth.logout', {})).ok).toBe(true);
    expect(await closedWithin(mine, startedAt, 'the logged-out socket to close')).toBeLessThan(1000);
    await Bun.sleep(300);
    expect(theirs.closed).toBeNull();
    theirs.close();
  });

  test('a password change closes the sockets of every session it replaced, on the other node', async () => {
    const viewer = await createTestUser(deps);
    const otherDevice = await signInAgain(viewer.user.username);
    const sockets = [
      await openSocket(b.url, otherDevice),
      await openSocket(b.url, sessionCookie(viewer.token)),
    ];
    await settle();
    const startedAt = Date.now();
    const changed = await mutate(a.url, sessionCookie(viewer.token), 'auth.changePassword', {
      currentPassword: 'correct horse battery',
      newPassword: 'a brand new passphrase',
    });
    expect(changed.ok).toBe(true);
    for (const socket of sockets) {
      expect(await closedWithin(socket, startedAt, 'an old session’s socket to close')).toBeLessThan(1000);
    }
  });

  test('sign out everywhere closes every session’s sockets on both nodes', async () => {
    const viewer = await createTestUser(deps);
    const otherDevice = await signInAgain(viewer.user.username);
    const sockets = [
      await openSocket(a.url, otherDevice),
      await openSocket(b.url, otherDevice),
      await openSocket(b.url, sessionCookie(viewer.token)),
    ];
    await settle();
    const startedAt = Date.now();
    expect((await mutate(a.url, sessionCookie(viewer.token), 'auth.logoutEverywhere', {})).ok).toBe(true);
    for (const socket of sockets) {
      expect(await closedWithin(socket, startedAt, 'every socket to close')).toBeLessThan(1000);
    }
    expect((await query(a.url, otherDevice, 'auth.me', null)).data).toBeNull();
  });

  test('a platform ban on node A closes the user’s sockets on node B within a second', async () => {
    const viewer = await createTestUser(deps);
    const admin = await createTestUser(deps, { role: 'admin' });
    const socket = await openSocket(b.url, sessionCookie(viewer.token));
    await settle();
    const startedAt = Date.now();
    const banned = await mutate(a.url, sessionCookie(admin.token), 'admin.banUser', {
      userId: viewer.user.id,
      reason: 'fraud',
    });
    expect(banned.ok).toBe(true);
    expect(await closedWithin(socket, startedAt, 'the banned user’s socket to close')).toBeLessThan(1000);
  });
});

describe('after its session ended, a socket runs nothing', () => {
  test('a session deleted without any announcement: tip, whisper thread, LiveKit token and payout are refused and the socket closes', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const viewer = await createTestUser(deps);
    const stream = await createTestStream(deps, streamer.user.id);
    const socket = await openSocket(b.url, sessionCookie(streamer.token));
    await settle();
    socket.call('before', 'query', 'auth.me', null);
    await socket.until(() => socket.answer('before') !== undefined, 'a reply while signed in');
    expect(socket.answer('before')!.result?.type).toBe('data');
    // Out of band: no bus message reaches this node, so only the per-call check can stop the calls below.
    await deps.db.delete(sessions).where(eq(sessions.id, streamer.sessionId));
    socket.call('tip', 'mutation', 'tips.send', {
      streamId: stream.id,
      amountTokens: 5,
      idempotencyKey: crypto.randomUUID(),
    });
    socket.call('thread', 'query', 'chat.thread', { userId: viewer.user.id });
    socket.call('token', 'mutation', 'streams.hostToken', { streamId: stream.id });
    socket.call('payout', 'mutation', 'payouts.request', {
      amountTokens: 1000,
      idempotencyKey: crypto.randomUUID(),
    });
    await socket.until(() => socket.closed !== null, 'the socket to close', 3000);
    expect(socket.closed!.code).toBe(4401);
    for (const id of ['tip', 'thread', 'token', 'payout']) {
      expect(socket.answer(id)?.result).toBeUndefined();
    }
  });

  test('calls sent right after a logout answers are never served', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    const socket = await openSocket(b.url, sessionCookie(streamer.token));
    await settle();
    expect((await mutate(a.url, sessionCookie(streamer.token), 'auth.logout', {})).ok).toBe(true);
    if (socket.closed === null) {
      socket.call('token', 'mutation', 'streams.hostToken', { streamId: stream.id });
      socket.call('me', 'query', 'auth.me', null);
    }
    await socket.until(() => socket.closed !== null, 'the socket to close', 3000);
    expect(socket.answer('token')?.result).toBeUndefined();
    expect(socket.answer('me')?.result).toBeUndefined();
  });
});

describe('a socket does not outlive its session', () => {
  test('an unused session’s socket closes at its expiry; one kept alive elsewhere closes at its new expiry', async () => {
    const idle = await createTestUser(deps);
    const used = await createTestUser(deps);
    const createdAt = Date.now();
    const idleSocket = await openSocket(short.url, sessionCookie(idle.token));
    const usedSocket = await openSocket(short.url, sessionCookie(used.token));
    // Used over HTTP after more than half its lifetime: the session is extended to about createdAt + 3.7 s + 3 s.
    await Bun.sleep(1700 - (Date.now() - createdAt));
    expect((await query(short.url, sessionCookie(used.token), 'auth.me', null)).data).not.toBeNull();
    const elapsed = (await closedWithin(idleSocket, createdAt, 'the idle session’s socket to close')) / 1000;
    expect(elapsed).toBeGreaterThanOrEqual(SHORT_SESSION_SECONDS - 0.1);
    expect(elapsed).toBeLessThan(SHORT_SESSION_SECONDS + 1);
    expect(usedSocket.closed).toBeNull();
    const usedElapsed =
      (await closedWithin(usedSocket, createdAt, 'the extended session’s socket to close')) / 1000;
    expect(usedElapsed).toBeGreaterThanOrEqual(1.7 + SHORT_SESSION_SECONDS - 0.1);
    expect(usedElapsed).toBeLessThan(1.7 + SHORT_SESSION_SECONDS + 1);
  }, 15_000);
});
