import type { Executor } from '@app/db/client';
import { regions } from '@app/db/schema';
import type { RegionRef } from '../identity/user-views.ts';

/**
 * The region tree (a few hundred rows that change only with the seed or an admin) held per database for a short
 * while, so browsing needs no region query: refs with their "Continent › Country › City" paths and each region's
 * descendants.
 */
export const REGION_CACHE_SECONDS = 60;

type RegionTreeCache = { loadedAt: number; refs: Map<number, RegionRef>; inside: Map<number, number[]> };

const caches = new WeakMap<object, RegionTreeCache>();

async function load(db: Executor): Promise<RegionTreeCache> {
  const rows = await db
    .select({ id: regions.id, name: regions.name, parentId: regions.parentId })
    .from(regions);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const refs = new Map<number, RegionRef>();
  const inside = new Map<number, number[]>();
  for (const row of rows) {
    const path: string[] = [];
    // Three levels at most; the bound also stops a cycle a bad edit could make.
    for (let at: typeof row | undefined = row, depth = 0; at && depth < 3; depth++) {
      path.unshift(at.name);
      (inside.get(at.id) ?? inside.set(at.id, []).get(at.id)!).push(row.id);
      at = at.parentId === null ? undefined : byId.get(at.parentId);
    }
    refs.set(row.id, { id: row.id, name: row.name, path: path.join(' › ') });
  }
  return { loadedAt: Date.now(), refs, inside };
}

export async function regionTreeCache(db: Executor): Promise<RegionTreeCache> {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.loadedAt < REGION_CACHE_SECONDS * 1000) return cached;
  const fresh = await load(db);
  caches.set(db, fresh);
  return fresh;
}

/** Forgets the cached tree (tests that add regions after browsing). */
export function forgetRegionCache(db: Executor): void {
  caches.delete(db);
}
