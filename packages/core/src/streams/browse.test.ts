import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Stream, streams, users } from '@app/db/schema';
import { and, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../kernel/viewer.ts';
import { regionStats } from '../regions/stats.ts';
import {
  type BrowseFixture,
  createTestDeps,
  createTestUser,
  seedBrowseFixture,
  type TestDeps,
} from '../testing.ts';
import {
  featuredStreams,
  liveStreams,
  liveStreamsQuery,
  regionWithDescendants,
  userStreams,
} from './browse.ts';
import { listCategories } from './categories.ts';
import { type LiveStreamsInput, STREAM_SORTS } from './schemas.ts';
import { createStream } from './streams.ts';

const STREAMS = 10_000;
let deps: TestDeps;
let world: BrowseFixture;
let all: Stream[];
let verified: NonNullable<Viewer>;

beforeAll(async () => {
  deps = await createTestDeps();
  world = await seedBrowseFixture(deps.db, { streams: STREAMS });
  await deps.database.query('ANALYZE');
  all = await deps.db.select().from(streams);
  verified = (await createTestUser(deps, { ageVerified: true })).user;
}, 60_000);
afterAll(() => deps.database.drop());

/** Every page of a listing, following nextCursor. */
async function walk(viewer: Viewer, input: Omit<LiveStreamsInput, 'cursor'>) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await liveStreams(deps, viewer, { ...input, cursor });
    ids.push(...page.items.map((item) => item.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

const liveIds = (filter: (s: Stream) => boolean) =>
  new Set(all.filter((s) => s.status === 'live' && filter(s)).map((s) => s.id));

describe('streams.live', () => {
  test('keyset pages return every matching live stream exactly once, in order, for every sort', async () => {
    const country = world.countryIds[1]!;
    const regionIds = new Set(await regionWithDescendants(deps.db, country));
    const category = world.categoryIds[2]!;
    for (const sort of STREAM_SORTS) {
      const ids = await walk(verified, { sort, limit: 60, categoryId: category, regionId: country });
      const expected = liveIds((s) => s.categoryId === category && regionIds.has(s.regionId!));
      expect(ids.length).toBe(expected.size);
      expect(new Set(ids)).toEqual(expected);
      const byId = new Map(all.map((s) => [s.id, s]));
      const key = (s: Stream) =>
        sort === 'viewers' ? s.currentViewers : sort === 'newest' ? s.startedAt!.getTime() : s.trendingScore;
      for (let i = 1; i < ids.length; i++) {
        expect(key(byId.get(ids[i - 1]!)!)).toBeGreaterThanOrEqual(key(byId.get(ids[i]!)!));
      }
    }
  }, 30_000);

  test('a continent includes its countries and cities', async () => {
    const continent = world.continentIds[0]!;
    const inside = await regionWithDescendants(deps.db, continent);
    expect(inside.length).toBe(1 + 4 + 12);
    const ids = await walk(verified, { sort: 'viewers', limit: 60, regionId: continent });
    expect(new Set(ids)).toEqual(liveIds((s) => inside.includes(s.regionId!)));
  }, 30_000);

  test('NSFW: hidden from guests by default, shown gated when asked, shown to verified viewers', async () => {
    const first = await liveStreams(deps, null, { sort: 'viewers', limit: 60 });
    expect(first.items.every((item) => !item.nsfw)).toBe(true);
    const asked = await liveStreams(deps, null, { sort: 'viewers', limit: 10, nsfw: true });
    expect(asked.items.length).toBe(10);
    expect(
      asked.items.every(
        (item) =>
          item.nsfw &&
          item.gate === 'sign_in' &&
          item.thumbnailUrl === null &&
          item.title === '' &&
          item.tags.length === 0,
      ),
    ).toBe(true);
    const adults = await walk(verified, { sort: 'viewers', limit: 60, categoryId: world.adultCategoryId });
    expect(new Set(adults)).toEqual(liveIds((s) => s.nsfw));
  }, 30_000);

  test('streams of banned streamers are not listed', async () => {
    const top = (await liveStreams(deps, verified, { sort: 'viewers', limit: 1 })).items[0]!;
    await deps.db.update(users).set({ bannedAt: new Date() }).where(eq(users.id, top.streamer.id));
    const after = await liveStreams(deps, verified, { sort: 'viewers', limit: 5 });
    expect(after.items.map((item) => item.id)).not.toContain(top.id);
    await deps.db.update(users).set({ bannedAt: null }).where(eq(users.id, top.streamer.id));
  });

  test('a forged cursor is a BAD_REQUEST, not a query', async () => {
    for (const cursor of [
      'not-base64!',
      Buffer.from('["1; drop table streams", "x"]').toString('base64url'),
    ]) {
      await expect(liveStreams(deps, null, { sort: 'newest', limit: 5, cursor })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  test('featured: the most trending streams a guest may see', async () => {
    const featured = await featuredStreams(deps, null, { limit: 6 });
    expect(featured.length).toBe(6);
    expect(featured.every((card) => card.status === 'live' && !card.nsfw)).toBe(true);
  });

  test(`with ${STREAMS} streams every sort and filter runs on its index in well under 50 ms`, async () => {
    const cases: Array<[string, LiveStreamsInput, string]> = [
      ['viewers', { sort: 'viewers', limit: 24 }, 'streams_live_current_viewers_id_idx'],
      ['newest', { sort: 'newest', limit: 24 }, 'streams_live_started_at_id_idx'],
      ['trending', { sort: 'trending', limit: 24 }, 'streams_live_trending_score_id_idx'],
      [
        'category by viewers',
        { sort: 'viewers', limit: 24, categoryId: world.categoryIds[3]! },
        'streams_live_category_id_current_viewers_idx',
      ],
    ];
    for (const [label, input, index] of cases) {
      const { sql, params } = liveStreamsQuery(deps.db, input, verified, null).toSQL();
      const [plan] = await deps.database.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        params,
      );
      const text = JSON.stringify(plan!['QUERY PLAN']);
      const [{ 'Execution Time': ms }] = plan!['QUERY PLAN'] as [{ 'Execution Time': number }];
      expect({ label, usesIndex: text.includes(index) }).toEqual({ label, usesIndex: true });
      expect(ms).toBeLessThan(50);
    }
  });
});

describe('counts by category and region', () => {
  test('categories.list counts live streams and viewers per category', async () => {
    const listed = await listCategories(deps);
    for (const id of world.categoryIds) {
      const category = listed.find((c) => c.id === id)!;
      const live = all.filter((s) => s.status === 'live' && s.categoryId === id);
      expect(category.liveCount).toBe(live.length);
      expect(category.viewers).toBe(live.reduce((sum, s) => sum + s.currentViewers, 0));
    }
  });

  test('regions.stats rolls cities up into countries and continents', async () => {
    const stats = await regionStats(deps, { includeNsfw: true });
    const live = all.filter((s) => s.status === 'live');
    expect(stats.total.liveStreams).toBe(live.length);
    const safe = await regionStats(deps, { includeNsfw: false });
    expect(safe.total.liveStreams).toBe(live.filter((s) => !s.nsfw).length);
    expect(safe.total.liveStreams).toBeLessThan(live.length);
    for (const continent of world.continentIds) {
      const inside = new Set(await regionWithDescendants(deps.db, continent));
      const mine = live.filter((s) => inside.has(s.regionId!));
      expect(stats.regions.find((r) => r.id === continent)).toMatchObject({
        kind: 'continent',
        liveStreams: mine.length,
        viewers: mine.reduce((sum, s) => sum + s.currentViewers, 0),
      });
    }
    const cities = stats.regions.filter((r) => r.kind === 'city');
    const countries = stats.regions.filter((r) => r.kind === 'country');
    const country = countries[0]!;
    const direct = live.filter((s) => s.regionId === country.id).length;
    const fromCities = cities
      .filter((c) => c.parentId === country.id)
      .reduce((sum, c) => sum + c.liveStreams, 0);
    expect(country.liveStreams).toBe(direct + fromCities);
  });
});

describe('users.streams', () => {
  test('a profile lists live and ended streams newest first; drafts only for their owner', async () => {
    const { user } = await createTestUser(deps, { role: 'streamer' });
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const view = await createStream(deps, user.id, {
        title: `Show ${i}`,
        description: '',
        tags: [],
        nsfw: false,
        language: 'en',
        settings: {},
      });
      made.push(view.id);
      if (i < 2) {
        await deps.db
          .update(streams)
          .set({ status: 'ended', startedAt: new Date(), endedAt: new Date() })
          .where(and(eq(streams.id, view.id), inArray(streams.status, ['draft'])));
      }
    }
    const first = await userStreams(deps, null, { userId: user.id, limit: 1 });
    const second = await userStreams(deps, null, { userId: user.id, limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([made[1]!, made[0]!]);
    expect(second.nextCursor).toBeNull();
    const own = await userStreams(deps, user, { userId: user.id, limit: 10 });
    expect(own.items.map((s) => s.id)).toEqual([made[2]!, made[1]!, made[0]!]);
  });
});
