import { type Region, regions, streams, users } from '@app/db/schema';
import { and, count, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { type CoreDeps, cachedRead } from '../kernel/deps.ts';

export type RegionStat = Pick<Region, 'id' | 'kind' | 'name' | 'code' | 'parentId'> & {
  liveStreams: number;
  viewers: number;
};

export type RegionStats = {
  /** Every region with at least one live stream in it or inside it; a city's streams count for its country and continent too. */
  regions: RegionStat[];
  /** All live streams, including those without a region. */
  total: { liveStreams: number; viewers: number };
};

/**
 * Live streams and their viewers per region, rolled up continent › country › city. Adults-only streams count only
 * for age-verified viewers, as in the listings the counts stand for.
 */
export function regionStats(deps: CoreDeps, options: { includeNsfw: boolean }): Promise<RegionStats> {
  const key = `regions.stats:${options.includeNsfw ? 'adult' : 'all'}`;
  return cachedRead(deps, key, ['streams'], () => loadRegionStats(deps, options));
}

async function loadRegionStats(deps: CoreDeps, options: { includeNsfw: boolean }): Promise<RegionStats> {
  const live = and(
    eq(streams.status, 'live'),
    isNull(users.bannedAt),
    options.includeNsfw ? undefined : eq(streams.nsfw, false),
  );
  const [perRegion, [total], all] = await Promise.all([
    deps.db
      .select({
        regionId: streams.regionId,
        liveStreams: count(),
        viewers: sql<number>`coalesce(sum(${streams.currentViewers}), 0)::int`,
      })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.streamerId))
      .where(and(live, isNotNull(streams.regionId)))
      .groupBy(streams.regionId),
    deps.db
      .select({
        liveStreams: count(),
        viewers: sql<number>`coalesce(sum(${streams.currentViewers}), 0)::int`,
      })
      .from(streams)
      .innerJoin(users, eq(users.id, streams.streamerId))
      .where(live),
    deps.db
      .select({
        id: regions.id,
        kind: regions.kind,
        name: regions.name,
        code: regions.code,
        parentId: regions.parentId,
      })
      .from(regions),
  ]);
  const byId = new Map(all.map((region) => [region.id, { ...region, liveStreams: 0, viewers: 0 }]));
  for (const row of perRegion) {
    // Walk up from the stream's region: three levels at most.
    for (let region = byId.get(row.regionId!), depth = 0; region && depth < 3; depth++) {
      region.liveStreams += Number(row.liveStreams);
      region.viewers += Number(row.viewers);
      region = region.parentId === null ? undefined : byId.get(region.parentId);
    }
  }
  const order = { continent: 0, country: 1, city: 2 } as const;
  return {
    regions: [...byId.values()]
      .filter((region) => region.liveStreams > 0)
      .sort((a, b) => order[a.kind] - order[b.kind] || b.viewers - a.viewers || a.name.localeCompare(b.name)),
    total: { liveStreams: Number(total?.liveStreams ?? 0), viewers: Number(total?.viewers ?? 0) },
  };
}
