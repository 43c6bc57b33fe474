import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  type CoreDeps,
  createReadCache,
  createRedisBus,
  type EventBus,
  projectUntilCaughtUp,
  READS_TOPIC,
  ROOM_ECONOMY,
} from '@app/core';
import {
  createTestDeps,
  createTestUser,
  fundWallet,
  manualClock,
  type TestDeps,
  testRedis,
} from '@app/core/testing';
import { categories, regions, streams } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

// The public reads are shared between callers for a moment. What a user notices: a change shows at once (on this
// node and on another one), never someone else's answer, and the time the shared answer lives is the clock's.

// The clock never moves unless a test moves it, so an answer that changes did so because its change was announced.
const clock = manualClock();
let redis: Awaited<ReturnType<typeof testRedis>>;
let deps: TestDeps;
/** A second node: the same database and Redis, its own bus connection and read cache. */
let other: CoreDeps;
let otherBus: EventBus;
let categoryId: number;
let regionId: number;
let streamer: { token: string; id: string };
let adult: string;
let member: string;

const anonymous = async (on: CoreDeps = deps) => (await callerFor(on, null)).caller;
const as = async (token: string, on: CoreDeps = deps) => (await callerFor(on, token)).caller;
const liveIds = async (caller: Awaited<ReturnType<typeof anonymous>>, input = {}) =>
  (await caller.streams.live(input)).items.map((item) => item.id);

/**
 * Settles once every event `from` published so far has reached `to`'s node (and its read cache, which listens
 * first): a marker sent after them on the same Redis connection arrives after them.
 */
async function settled(from: EventBus, to: EventBus): Promise<void> {
  const marker = crypto.randomUUID();
  const arrived = new Promise<void>((resolve) => {
    const stop = to.subscribe(READS_TOPIC, (event) => {
      if (event.marker !== marker) return;
      stop();
      resolve();
    });
  });
  await to.ready(READS_TOPIC);
  await from.publish(READS_TOPIC, { type: 'test.marker', marker });
  await arrived;
}

beforeAll(async () => {
  redis = await testRedis();
  const channels = `${redis.prefix}bus:`;
  const bus = await createRedisBus(redis.client, channels);
  deps = await createTestDeps({ clock, bus, redis });
  otherBus = await createRedisBus(redis.client, channels);
  other = { ...deps, bus: otherBus, reads: await createReadCache(otherBus, clock) };
  const [region] = await deps.db
    .insert(regions)
    .values({ kind: 'continent', name: 'Europe', slug: 'europe', code: 'EU' })
    .returning();
  regionId = region!.id;
  const [category] = await deps.db.insert(categories).values({ slug: 'chess', name: 'Chess' }).returning();
  categoryId = category!.id;
  const made = await createTestUser(deps, { role: 'streamer' });
  streamer = { token: made.token, id: made.user.id };
  adult = (await createTestUser(deps, { ageVerified: true })).token;
  member = (await createTestUser(deps)).token;
});
afterAll(async () => {
  deps.reads?.close();
  other.reads?.close();
  await otherBus.close();
  await deps.bus.close();
  await redis.flush();
  redis.client.close();
  await deps.database.drop();
});

/** A new live stream of the test's streamer (one open stream each: the previous one is ended first). */
async function goLive(title: string, options: { nsfw?: boolean } = {}) {
  const owner = await as(streamer.token);
  const { stream: open } = await owner.streams.current();
  if (open?.status === 'live') await owner.streams.stop({ streamId: open.id });
  const draft = await owner.streams.create({ title, categoryId, regionId, nsfw: options.nsfw ?? false });
  await owner.streams.start({ streamId: draft.id });
  return draft.id;
}

describe('a change shows at once', () => {
  test('going live, an edit and the end show in listings, counts and stats on the next read', async () => {
    const visitor = await anonymous();
    // Asked first, so each read below could be an answer kept from before its change.
    expect(await liveIds(visitor)).toEqual([]);
    const chessBefore = (await visitor.categories.list()).find((row) => row.id === categoryId)!;
    const statsBefore = await visitor.regions.stats();
    expect(await visitor.streams.featured()).toEqual(await visitor.streams.featured());

    const id = await goLive('Opening night');
    expect(await liveIds(visitor)).toContain(id);
    expect((await visitor.streams.featured()).map((card) => card.id)).toContain(id);
    const chess = (await visitor.categories.list()).find((row) => row.id === categoryId)!;
    expect(chess.liveCount).toBe(chessBefore.liveCount + 1);
    expect((await visitor.regions.stats()).total.liveStreams).toBe(statsBefore.total.liveStreams + 1);

    await (await as(streamer.token)).streams.update({ streamId: id, title: 'Second night' });
    const card = (await visitor.streams.live({})).items.find((item) => item.id === id);
    expect(card?.title).toBe('Second night');

    await (await as(streamer.token)).streams.stop({ streamId: id });
    expect(await liveIds(visitor)).not.toContain(id);
    expect((await visitor.categories.list()).find((row) => row.id === categoryId)!.liveCount).toBe(
      chessBefore.liveCount,
    );
  });

  test('a change nothing announces waits for the clock: the shared answer lives about a second', async () => {
    const id = await goLive('Quiet rename');
    const visitor = await anonymous();
    const title = async () => (await visitor.streams.live({})).items.find((item) => item.id === id)?.title;
    expect(await title()).toBe('Quiet rename');
    // Written behind the application's back: no announcement, so the shared page stands until it expires.
    await deps.db.update(streams).set({ title: 'Renamed by hand' }).where(eq(streams.id, id));
    expect(await title()).toBe('Quiet rename');
    clock.advance(0.5);
    expect(await title()).toBe('Quiet rename');
    clock.advance(0.6);
    expect(await title()).toBe('Renamed by hand');
  });

  test('a change on one node is shown by the other node at once', async () => {
    const visitorThere = await anonymous(other);
    const id = await goLive('Seen from afar');
    await (await as(streamer.token)).streams.stop({ streamId: id });
    await settled(deps.bus, otherBus);
    expect(await liveIds(visitorThere)).not.toContain(id);

    const next = await goLive('Seen from afar, again');
    await settled(deps.bus, otherBus);
    expect(await liveIds(visitorThere)).toContain(next);
    expect((await visitorThere.categories.list()).find((row) => row.id === categoryId)!.liveCount).toBe(1);

    // And back: the other node ends it, this node shows it gone.
    const visitorHere = await anonymous();
    expect(await liveIds(visitorHere)).toContain(next);
    await (await as(streamer.token, other)).streams.stop({ streamId: next });
    await settled(otherBus, deps.bus);
    expect(await liveIds(visitorHere)).not.toContain(next);
  });
});

describe('never someone else’s answer', () => {
  test('a verified adult, a member and a visitor each get their own listing of an adult stream', async () => {
    const id = await goLive('After dark', { nsfw: true });
    const asked = { nsfw: true };
    // The adult asks first: a shared answer keyed wrongly would hand their titles to the others.
    const forAdult = (await (await as(adult)).streams.live(asked)).items.find((item) => item.id === id);
    const forMember = (await (await as(member)).streams.live(asked)).items.find((item) => item.id === id);
    const forVisitor = (await (await anonymous()).streams.live(asked)).items.find((item) => item.id === id);
    expect(forAdult).toMatchObject({ title: 'After dark', gate: null });
    expect(forMember).toMatchObject({ title: '', gate: 'verify_age' });
    expect(forVisitor).toMatchObject({ title: '', gate: 'sign_in' });

    // The default listing: adults see adult streams, the others do not; asked the other way round too.
    expect(await liveIds(await anonymous())).not.toContain(id);
    expect(await liveIds(await as(adult))).toContain(id);
    expect(await liveIds(await anonymous())).not.toContain(id);
    const adultStats = await (await as(adult)).regions.stats();
    const visitorStats = await (await anonymous()).regions.stats();
    expect(adultStats.total.liveStreams).toBe(visitorStats.total.liveStreams + 1);
    expect((await (await as(adult)).streams.featured()).map((card) => card.id)).toContain(id);
    expect((await (await anonymous()).streams.featured()).map((card) => card.id)).not.toContain(id);
    await (await as(streamer.token)).streams.stop({ streamId: id });
  });

  test('leaderboards: the top is shared, each caller’s own place is their own, a tip shows after its pass', async () => {
    const streamId = await goLive('Tip jar');
    const tippers = [
      await createTestUser(deps, { ageVerified: true }),
      await createTestUser(deps, { ageVerified: true }),
    ];
    const tip = async (token: string, amountTokens: number) =>
      (await as(token)).tips.send({
        streamId,
        amountTokens,
        anonymous: false,
        idempotencyKey: crypto.randomUUID(),
      });
    for (const { user } of tippers) await fundWallet(deps, user.id, 100);
    await tip(tippers[0]!.token, 30);
    await tip(tippers[1]!.token, 10);
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    const input = {
      board: 'tippers',
      scope: { kind: 'stream', id: streamId },
      period: 'all',
      limit: 10,
    } as const;

    const first = await (await as(tippers[0]!.token)).leaderboards.get(input);
    const second = await (await as(tippers[1]!.token)).leaderboards.get(input);
    const visitor = await (await anonymous()).leaderboards.get(input);
    expect(first.entries.map((entry) => entry.score)).toEqual([30, 10]);
    expect(second.entries).toEqual(first.entries);
    expect(visitor).toEqual({ entries: first.entries, me: null });
    expect(first.me).toEqual({ rank: 1, score: 30, toPass: null });
    expect(second.me).toEqual({ rank: 2, score: 10, toPass: 21 });

    await tip(tippers[1]!.token, 50);
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    const after = await (await anonymous()).leaderboards.get(input);
    expect(after.entries.map((entry) => [entry.user?.id, entry.score])).toEqual([
      [tippers[1]!.user.id, 60],
      [tippers[0]!.user.id, 30],
    ]);
    expect((await (await as(tippers[0]!.token)).leaderboards.get(input)).me).toEqual({
      rank: 2,
      score: 30,
      toPass: 31,
    });
  });
});

test('callers missing the same answer at once share one query', async () => {
  await goLive('Crowd');
  clock.advance(2);
  const before = deps.reads!.stats();
  const callers = await Promise.all(Array.from({ length: 20 }, () => anonymous()));
  const pages = await Promise.all(callers.map((caller) => caller.streams.live({ sort: 'newest' })));
  const after = deps.reads!.stats();
  expect(new Set(pages.map((page) => JSON.stringify(page))).size).toBe(1);
  expect(after.misses - before.misses).toBe(1);
  expect(after.joined - before.joined).toBe(19);
});
