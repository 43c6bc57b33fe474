import type { Database } from '@app/db/client';
import { categories, type NewStream, regions, streams, users } from '@app/db/schema';
import { trendingScore } from './lifecycle.ts';

/**
 * A browse-sized world for tests and `bun run bench:browse`: a region tree, categories (one adult), and one
 * streamer per stream, most of them live with skewed viewer counts.
 */
export type BrowseFixture = {
  continentIds: number[];
  countryIds: number[];
  cityIds: number[];
  categoryIds: number[];
  adultCategoryId: number;
  streamIds: string[];
};

const INSERT_CHUNK = 1000;

/** A deterministic pseudo-random sequence, so two runs seed the same world. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function insertRegions(db: Database, prefix: string) {
  const continentIds: number[] = [];
  const countryIds: number[] = [];
  const cityIds: number[] = [];
  for (let c = 0; c < 3; c++) {
    const [continent] = await db
      .insert(regions)
      .values({ kind: 'continent', name: `${prefix} continent ${c}`, slug: `${prefix}-continent-${c}` })
      .returning({ id: regions.id });
    continentIds.push(continent!.id);
    const countries = await db
      .insert(regions)
      .values(
        Array.from({ length: 4 }, (_, k) => ({
          kind: 'country' as const,
          name: `${prefix} country ${c}.${k}`,
          slug: `${prefix}-country-${c}-${k}`,
          parentId: continent!.id,
        })),
      )
      .returning({ id: regions.id });
    for (const country of countries) {
      countryIds.push(country.id);
      const cities = await db
        .insert(regions)
        .values(
          Array.from({ length: 3 }, (_, k) => ({
            kind: 'city' as const,
            name: `${prefix} city ${country.id}.${k}`,
            slug: `${prefix}-city-${country.id}-${k}`,
            parentId: country.id,
          })),
        )
        .returning({ id: regions.id });
      cityIds.push(...cities.map((city) => city.id));
    }
  }
  return { continentIds, countryIds, cityIds };
}

export async function seedBrowseFixture(
  db: Database,
  options: { streams: number; liveShare?: number; nsfwShare?: number; seed?: number; prefix?: string },
): Promise<BrowseFixture> {
  const next = random(options.seed ?? 42);
  const prefix = options.prefix ?? `bf${Date.now().toString(36)}`;
  const tree = await insertRegions(db, prefix);
  const categoryRows = await db
    .insert(categories)
    .values(
      Array.from({ length: 12 }, (_, i) => ({
        slug: `${prefix}-category-${i}`,
        name: `Category ${i}`,
        sortOrder: i,
        adult: i === 11,
      })),
    )
    .returning({ id: categories.id });
  const categoryIds = categoryRows.map((row) => row.id);
  const adultCategoryId = categoryIds[11]!;
  const now = Date.now();
  const streamIds: string[] = [];
  for (let offset = 0; offset < options.streams; offset += INSERT_CHUNK) {
    const size = Math.min(INSERT_CHUNK, options.streams - offset);
    const streamers = await db
      .insert(users)
      .values(
        Array.from({ length: size }, (_, i) => ({
          username: `${prefix}_s${offset + i}`,
          email: `${prefix}_s${offset + i}@example.com`,
          passwordHash: 'not-a-real-hash',
          displayName: `Streamer ${offset + i}`,
          role: 'streamer' as const,
          dateOfBirth: '1990-01-01',
          ageVerifiedAt: new Date(now),
          regionId: tree.cityIds[Math.floor(next() * tree.cityIds.length)]!,
        })),
      )
      .returning({ id: users.id, regionId: users.regionId });
    const values: NewStream[] = streamers.map((streamer) => {
      const id = crypto.randomUUID();
      const live = next() < (options.liveShare ?? 0.9);
      const nsfw = next() < (options.nsfwShare ?? 0.05);
      // Skewed like real audiences: most streams have a handful of viewers, a few have thousands.
      const viewers = live ? Math.floor(5000 * next() ** 6) : 0;
      const startedAt = new Date(now - Math.floor(next() * 6 * 3600_000));
      const categoryId = nsfw ? adultCategoryId : categoryIds[Math.floor(next() * 11)]!;
      // Some streams are placed on a whole country or continent rather than a city.
      const where = next();
      const regionId =
        where < 0.1
          ? tree.continentIds[Math.floor(next() * tree.continentIds.length)]!
          : where < 0.25
            ? tree.countryIds[Math.floor(next() * tree.countryIds.length)]!
            : streamer.regionId;
      return {
        id,
        streamerId: streamer.id,
        title: `Stream ${id.slice(0, 8)}`,
        status: live ? 'live' : 'ended',
        categoryId,
        regionId,
        nsfw,
        tags: ['bench'],
        livekitRoom: `stream-${id}`,
        startedAt,
        endedAt: live ? null : new Date(startedAt.getTime() + 3600_000),
        currentViewers: viewers,
        peakViewers: viewers,
        totalViews: viewers * 3,
        trendingScore: trendingScore(viewers, startedAt),
      };
    });
    const inserted = await db.insert(streams).values(values).returning({ id: streams.id });
    streamIds.push(...inserted.map((row) => row.id));
  }
  return { ...tree, categoryIds, adultCategoryId, streamIds };
}
