import { type Region, regions } from '@app/db/schema';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import { type CoreDeps, cachedRead } from '../kernel/deps.ts';

export type RegionView = Pick<Region, 'id' | 'kind' | 'name' | 'code' | 'parentId'>;
export type RegionTree = (RegionView & { children: (RegionView & { children: RegionView[] })[] })[];

const columns = {
  id: regions.id,
  kind: regions.kind,
  name: regions.name,
  code: regions.code,
  parentId: regions.parentId,
};

/**
 * Continents with their countries with their cities, each level by name. Regions change only with the seed, so
 * the shared answer depends on no announced change and lives for its moment.
 */
export function regionTree(deps: CoreDeps): Promise<RegionTree> {
  return cachedRead(deps, 'regions.tree', [], () => loadRegionTree(deps));
}

async function loadRegionTree(deps: CoreDeps): Promise<RegionTree> {
  const rows = await deps.db.select(columns).from(regions).orderBy(asc(regions.name));
  const children = new Map<number, RegionView[]>();
  for (const row of rows) {
    if (row.parentId === null) continue;
    const list = children.get(row.parentId) ?? [];
    list.push(row);
    children.set(row.parentId, list);
  }
  return rows
    .filter((row) => row.kind === 'continent')
    .map((continent) => ({
      ...continent,
      children: (children.get(continent.id) ?? []).map((country) => ({
        ...country,
        children: children.get(country.id) ?? [],
      })),
    }));
}

export type RegionListInput = { parentId?: number | null; kind?: Region['kind'] };

export function listRegions(deps: CoreDeps, input: RegionListInput): Promise<RegionView[]> {
  const key = `regions.list:${JSON.stringify([input.parentId === undefined ? 'any' : input.parentId, input.kind ?? 'any'])}`;
  return cachedRead(deps, key, [], () => loadRegions(deps, input));
}

async function loadRegions(deps: CoreDeps, input: RegionListInput): Promise<RegionView[]> {
  const filters: SQL[] = [];
  if (input.parentId === null) filters.push(isNull(regions.parentId));
  else if (input.parentId !== undefined) filters.push(eq(regions.parentId, input.parentId));
  if (input.kind) filters.push(eq(regions.kind, input.kind));
  return deps.db
    .select(columns)
    .from(regions)
    .where(and(...filters))
    .orderBy(asc(regions.name));
}
