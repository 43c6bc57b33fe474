import type { Executor } from '@app/db/client';
import { regions, users } from '@app/db/schema';
import { sql } from 'drizzle-orm';
import { NO_REGION, type RegionScope } from './keys.ts';

/** How long the region tree is kept in process (a few hundred rows that change only with the seed or an admin). */
export const BOARD_REGION_CACHE_SECONDS = 60;

type RegionCodes = {
  loadedAt: number;
  byId: Map<number, RegionScope>;
  continents: Set<string>;
  countries: Set<string>;
};

const caches = new WeakMap<object, RegionCodes>();

async function load(db: Executor): Promise<RegionCodes> {
  const rows = await db
    .select({ id: regions.id, kind: regions.kind, code: regions.code, parentId: regions.parentId })
    .from(regions);
  const byRow = new Map(rows.map((row) => [row.id, row]));
  const byId = new Map<number, RegionScope>();
  const continents = new Set<string>();
  const countries = new Set<string>();
  for (const row of rows) {
    const scope: RegionScope = { continent: null, country: null };
    // A city's parent is its country, whose parent is the continent; three levels bound the walk.
    for (let at: typeof row | undefined = row, depth = 0; at && depth < 3; depth++) {
      if (at.kind === 'continent') scope.continent = at.code;
      if (at.kind === 'country') scope.country = at.code;
      at = at.parentId === null ? undefined : byRow.get(at.parentId);
    }
    byId.set(row.id, scope);
    if (row.kind === 'continent' && row.code) continents.add(row.code);
    if (row.kind === 'country' && row.code) countries.add(row.code);
  }
  return { loadedAt: Date.now(), byId, continents, countries };
}

/** The cached codes of `owner`'s database, read through `db` (the open transaction, when there is one). */
export async function regionCodes(owner: Executor, db: Executor = owner): Promise<RegionCodes> {
  const cached = caches.get(owner);
  if (cached && Date.now() - cached.loadedAt < BOARD_REGION_CACHE_SECONDS * 1000) return cached;
  const fresh = await load(db);
  caches.set(owner, fresh);
  return fresh;
}

/** Forgets the cached codes (tests that add regions after a pass). */
export function forgetBoardRegions(db: Executor): void {
  caches.delete(db);
}

/**
 * Each user's continent and country, in one query through `db`; the region tree is cached per `owner` (the
 * database), so a pass inside a transaction (one connection on PGlite) reads through that transaction.
 */
export async function userRegions(
  owner: Executor,
  db: Executor,
  userIds: Iterable<string>,
): Promise<Map<string, RegionScope>> {
  const ids = [...new Set(userIds)];
  const out = new Map<string, RegionScope>();
  if (ids.length === 0) return out;
  const [codes, rows] = await Promise.all([
    regionCodes(owner, db),
    // One array parameter, not one per id: a pass names thousands of users.
    db
      .select({ id: users.id, regionId: users.regionId })
      .from(users)
      .where(sql`${users.id} = any(${`{${ids.join(',')}}`}::uuid[])`),
  ]);
  for (const row of rows)
    out.set(row.id, (row.regionId !== null && codes.byId.get(row.regionId)) || NO_REGION);
  return out;
}
