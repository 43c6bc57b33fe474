import type { Transaction } from '../client.ts';
import { categories, regions, tokenPackages } from '../schema/index.ts';
import { CATEGORIES } from './data/categories.ts';
import { CONTINENTS } from './data/regions.ts';
import { TOKEN_PACKAGES } from './data/token-packages.ts';

/** Region ids of cities by `<country code>/<city slug>`, e.g. `MX/mexico-city`. */
export type CityIds = ReadonlyMap<string, number>;
export type CategoryIds = ReadonlyMap<string, { id: number; adult: boolean }>;
export type RegionCounts = { continents: number; countries: number; cities: number };

export function cityKey(countryCode: string, citySlug: string): string {
  return `${countryCode}/${citySlug}`;
}

/** Looks a key up in a map built from seed data; a miss is a mistake in the data files. */
export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Seed data refers to an unknown ${what} "${String(key)}".`);
  return value;
}

/** Continents, then countries under them, then cities under those: three inserts, parents first. */
export async function insertRegions(tx: Transaction): Promise<{ counts: RegionCounts; cityIds: CityIds }> {
  const continentRows = await tx
    .insert(regions)
    .values(CONTINENTS.map(({ code, name, slug }) => ({ kind: 'continent' as const, code, name, slug })))
    .returning({ id: regions.id, code: regions.code });
  const continentIds = new Map(continentRows.map((row) => [row.code, row.id]));

  const countryRows = await tx
    .insert(regions)
    .values(
      CONTINENTS.flatMap((continent) =>
        continent.countries.map(({ code, name, slug }) => ({
          kind: 'country' as const,
          code,
          name,
          slug,
          parentId: lookup(continentIds, continent.code, 'continent'),
        })),
      ),
    )
    .returning({ id: regions.id, code: regions.code });
  const countryIds = new Map(countryRows.map((row) => [row.code, row.id]));
  const countryCodes = new Map(countryRows.map((row) => [row.id, row.code ?? '']));

  const cityRows = await tx
    .insert(regions)
    .values(
      CONTINENTS.flatMap((continent) => continent.countries).flatMap((country) =>
        country.cities.map(({ name, slug, latitude, longitude }) => ({
          kind: 'city' as const,
          name,
          slug,
          latitude,
          longitude,
          parentId: lookup(countryIds, country.code, 'country'),
        })),
      ),
    )
    .returning({ id: regions.id, slug: regions.slug, parentId: regions.parentId });
  const cityIds = new Map(
    cityRows.map((row) => [cityKey(lookup(countryCodes, row.parentId ?? 0, 'country id'), row.slug), row.id]),
  );

  const counts = { continents: continentRows.length, countries: countryRows.length, cities: cityRows.length };
  return { counts, cityIds };
}

export async function insertCategories(tx: Transaction): Promise<CategoryIds> {
  const rows = await tx
    .insert(categories)
    .values(CATEGORIES.map((category) => ({ ...category })))
    .returning({ id: categories.id, slug: categories.slug, adult: categories.adult });
  return new Map(rows.map((row) => [row.slug, { id: row.id, adult: row.adult }]));
}

export async function insertTokenPackages(tx: Transaction): Promise<number> {
  const rows = await tx
    .insert(tokenPackages)
    .values(TOKEN_PACKAGES.map((tokenPackage) => ({ ...tokenPackage })))
    .returning({ id: tokenPackages.id });
  return rows.length;
}
