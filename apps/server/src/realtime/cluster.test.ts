// Two server processes on loopback sharing Postgres and Redis, as in production behind a load balancer.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { roomChannelId } from '@app/api/client';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import type { TestDatabase } from '@app/db/testing';
import type { Subprocess } from 'bun';
import { mutate, openSocket, sessionCookie } from './testing.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PRESENCE_TTL_SECONDS = 3;
const ENTRY = new URL('../index.ts', import.meta.url).pathname;

let database: TestDatabase;
let deps: TestDeps;
const nodes: { process: Subprocess; url: string }[] = [];

async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const { port } = probe;
  await probe.stop(true);
  return port!;
}

async function startNode() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = Bun.spawn(['bun', ENTRY], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      PRESENCE_TTL_SECONDS: String(PRESENCE_TTL_SECONDS),
    },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const healthy = await fetch(`${url}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error('a server node did not start');
    await Bun.sleep(100);
  }
  const node = { process: child, url };
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  // Users and streams are created straight in this test's database; the nodes read the same one.
  deps = await createTestDeps();
  database = deps.database;
});
afterAll(async () => {
  for (const node of nodes) node.process.kill();
  await Promise.all(nodes.map((node) => node.process.exited));
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

  test('viewers on every node are counted; a crashed node’s viewers leave the count within its TTL', async () => {
    const [a, b] = [nodes[0] ?? (await startNode()), nodes[1] ?? (await startNode())];
    const { stream } = await scene();
    const shared = roomChannelId(stream.id);
    const watchers = [await openSocket(a.url), await openSocket(b.url), await openSocket(b.url)];
    for (const socket of watchers) socket.subscribe(shared, stream.id);
    const [onA, onB] = [watchers[0]!, watchers[1]!];
    const count = (socket: typeof onA) =>
      socket
        .events(shared)
        .filter((event) => event.type === 'stream.viewers')
        .at(-1)?.count;
    await onA.until(() => count(onA) === 3, 'a count of 3 on A', 10_000);
    await onB.until(() => count(onB) === 3, 'a count of 3 on B', 10_000);
    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    await onB.until(() => count(onB) === 2, 'the count to drop to 2 on B', 15_000);
    const seconds = (Date.now() - killedAt) / 1000;
    // The node key expires at most PRESENCE_TTL_SECONDS after the crash; if the crashed node led the room, B
    // takes over when its 6 s lease ends; the leader re-counts every 2 s.
    expect(seconds).toBeLessThan(Math.max(PRESENCE_TTL_SECONDS, 6) + 3);
    for (const socket of watchers) socket.close();
  }, 40_000);
});
