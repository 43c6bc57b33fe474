import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { CoreDeps, LiveStreamsInput, StreamSort } from '@app/core';
import {
  type BrowseFixture,
  createTestDeps,
  createTestUser,
  manualClock,
  seedBrowseFixture,
  type TestDeps,
} from '@app/core/testing';
import { callerFor } from './testing.ts';

// Every input of a shared read is its own answer: the browse page's sorts, filters and pages, as `bench:browse`
// asks them, each equal to what the database says without any cache, however they are interleaved.

const clock = manualClock();
let deps: TestDeps;
/** The same database without a read cache: the reference. */
let uncached: CoreDeps;
let world: BrowseFixture;
let adult: string;

beforeAll(async () => {
  deps = await createTestDeps({ clock });
  uncached = { ...deps, reads: null };
  world = await seedBrowseFixture(deps.db, { streams: 120 });
  adult = (await createTestUser(deps, { ageVerified: true })).token;
});
afterAll(async () => {
  await deps.database.drop();
});

test('each sort, filter, page and audience of streams.live gets its own answer, as the database has it', async () => {
  const sorts: StreamSort[] = ['viewers', 'newest', 'trending'];
  const shapes: LiveStreamsInput[] = sorts.flatMap((sort) => [
    { sort, limit: 5 },
    { sort, limit: 5, categoryId: world.categoryIds[2]! },
    { sort, limit: 5, regionId: world.continentIds[0]! },
    { sort, limit: 5, regionId: world.countryIds[1]! },
    { sort, limit: 5, nsfw: true },
    { sort, limit: 7 },
  ]);
  const tokens = [null, adult];
  const asked: Array<{ token: string | null; input: LiveStreamsInput }> = [];
  for (const token of tokens) {
    for (const shape of shapes) {
      asked.push({ token, input: shape });
      const first = await (await callerFor(uncached, token)).caller.streams.live(shape);
      if (first.nextCursor) asked.push({ token, input: { ...shape, cursor: first.nextCursor } });
    }
  }
  // Twice over, the second round from the cache, in an order that mixes every key with its neighbours.
  for (const round of [asked, [...asked].reverse()]) {
    for (const { token, input } of round) {
      const shared = await (await callerFor(deps, token)).caller.streams.live(input);
      const truth = await (await callerFor(uncached, token)).caller.streams.live(input);
      expect(shared).toEqual(truth);
    }
  }
  const stats = deps.reads!.stats();
  expect(stats.hits).toBeGreaterThanOrEqual(asked.length);
  expect(stats.misses).toBe(asked.length);
});

test('regions.list answers each parent and kind on its own', async () => {
  const inputs = [
    {},
    { kind: 'continent' as const },
    { kind: 'city' as const },
    { parentId: null },
    { parentId: world.continentIds[0]! },
    { parentId: world.continentIds[1]!, kind: 'country' as const },
  ];
  for (const round of [inputs, [...inputs].reverse()]) {
    for (const input of round) {
      const shared = await (await callerFor(deps, null)).caller.regions.list(input);
      expect(shared).toEqual(await (await callerFor(uncached, null)).caller.regions.list(input));
    }
  }
});
