// Two server processes on loopback sharing Postgres and Redis, as in production behind a load balancer.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { roomChannelId } from '@app/api/client';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import type { TestDatabase } from '@app/db/testing';
import {
  mutate,
  openSocket,
  type ServerNode,
  sessionCookie,
  startNode as spawnNode,
  stopNodes,
} from './testing.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PRESENCE_TTL_SECONDS = 3;

let database: TestDatabase;
let deps: TestDeps;
const nodes: ServerNode[] = [];

async function startNode() {
  const node = await spawnNode({
    DATABASE_URL: database.url,
    REDIS_URL,
    PRESENCE_TTL_SECONDS: String(PRESENCE_TTL_SECONDS),
  });
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  // Users and streams are created straight in this test's database; the nodes read the same one.
  deps = await createTestDeps();
  database = deps.database;
});
afterAll(async () => {
  await stopNodes(nodes);
  await database.drop();
});

async function scene() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const admin = await createTestUser(deps, { role: 'admin' });
  const stream = await createTestStream(deps, streamer.user.id);
  return { streamer, viewer, admin, stream };
}

describe('two server processes', () => {
  test('a message sent on one reaches a subscriber on the other; a platform ban on one closes sockets on the other', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const { viewer, admin, stream } = await scene();
    const shared = roomChannelId(stream.id);
    const viewerCookieOnB = sessionCookie(viewer.token);
    const onB = await openSocket(b.url, viewerCookieOnB);
    onB.subscribe(shared, stream.id);
    await onB.until(() => onB.frames.some((f) => f.result?.type === 'started'), 'started on B');
    const sent = await mutate(a.url, sessionCookie(viewer.token), 'chat.send', {
      streamId: stream.id,
      text: 'sent on A',
      clientMessageId: crypto.randomUUID(),
    });
    expect(sent.ok).toBe(true);
    await onB.until(() => onB.texts(shared).includes('sent on A'), 'the message on B');

    const banned = await mutate(a.url, sessionCookie(admin.token), 'admin.banUser', {
      userId: viewer.user.id,
      reason: 'ban evasion',
    });
    expect(banned.ok).toBe(true);
    await onB.until(() => onB.closed !== null, 'B to close the banned user’s socket');
    expect(onB.closed!.code).toBe(4401);
  }, 30_000);

  test('viewers on every node are counted once each, a guest once per address; a crashed node’s viewers leave the count within its TTL', async () => {
    const [a, b] = [nodes[0] ?? (await startNode()), nodes[1] ?? (await startNode())];
    const { stream } = await scene();
    const shared = roomChannelId(stream.id);
    const users = [await createTestUser(deps), await createTestUser(deps), await createTestUser(deps)];
    const [onA, onB, onB2] = [
      await openSocket(a.url, sessionCookie(users[0]!.token)),
      await openSocket(b.url, sessionCookie(users[1]!.token)),
      await openSocket(b.url, sessionCookie(users[2]!.token)),
    ];
    // One guest (one address) with sockets on both nodes and several subscriptions on each.
    const guests = [await openSocket(a.url), await openSocket(b.url), await openSocket(b.url)];
    for (const socket of [onA, onB, onB2]) socket.subscribe(shared, stream.id);
    for (const socket of guests) {
      socket.subscribe(shared, stream.id);
      for (let i = 0; i < 5; i++) socket.subscribe(i, stream.id);
    }
    const count = (socket: typeof onA) =>
      socket
        .events(shared)
        .filter((event) => event.type === 'stream.viewers')
        .at(-1)?.count;
    await onA.until(() => count(onA) === 4, 'a count of 4 on A', 10_000);
    await onB.until(() => count(onB) === 4, 'a count of 4 on B', 10_000);
    // Counted once: the next announcements (every 2 s) say the same.
    await Bun.sleep(2500);
    expect(count(onB)).toBe(4);
    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    // The user on A leaves; the guest is still watching on B.
    await onB.until(() => count(onB) === 3, 'the count to drop to 3 on B', 15_000);
    const seconds = (Date.now() - killedAt) / 1000;
    // The node key expires at most PRESENCE_TTL_SECONDS after the crash; if the crashed node led the room, B
    // takes over when its 6 s lease ends; the leader re-counts every 2 s.
    expect(seconds).toBeLessThan(Math.max(PRESENCE_TTL_SECONDS, 6) + 3);
    for (const socket of [onA, onB, onB2, ...guests]) socket.close();
  }, 40_000);
});
