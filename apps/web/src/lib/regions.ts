import type { RegionTree } from './types.ts';

export type Continent = RegionTree[number];
export type Country = Continent['children'][number];
export type City = Country['children'][number];

/** The continent, country and city ids on the way to `regionId` (null where the path stops). */
export function regionPath(
  tree: RegionTree,
  regionId: number | null,
): { continentId: number | null; countryId: number | null; cityId: number | null } {
  const none = { continentId: null, countryId: null, cityId: null };
  if (regionId === null) return none;
  for (const continent of tree) {
    if (continent.id === regionId) return { ...none, continentId: continent.id };
    for (const country of continent.children) {
      if (country.id === regionId) return { continentId: continent.id, countryId: country.id, cityId: null };
      const city = country.children.find((candidate) => candidate.id === regionId);
      if (city) return { continentId: continent.id, countryId: country.id, cityId: city.id };
    }
  }
  return none;
}
