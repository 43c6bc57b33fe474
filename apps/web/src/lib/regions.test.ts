import { expect, test } from 'bun:test';
import { regionPath } from './regions.ts';
import type { RegionTree } from './types.ts';

const region = (id: number, kind: 'continent' | 'country' | 'city', parentId: number | null) => ({
  id,
  kind,
  name: `r${id}`,
  code: null,
  parentId,
});

const tree: RegionTree = [
  {
    ...region(1, 'continent', null),
    children: [{ ...region(10, 'country', 1), children: [region(100, 'city', 10), region(101, 'city', 10)] }],
  },
];

test('finds the continent, country and city above a region', () => {
  expect(regionPath(tree, 101)).toEqual({ continentId: 1, countryId: 10, cityId: 101 });
  expect(regionPath(tree, 10)).toEqual({ continentId: 1, countryId: 10, cityId: null });
  expect(regionPath(tree, 1)).toEqual({ continentId: 1, countryId: null, cityId: null });
});

test('an unknown or missing region selects nothing', () => {
  const none = { continentId: null, countryId: null, cityId: null };
  expect(regionPath(tree, 999)).toEqual(none);
  expect(regionPath(tree, null)).toEqual(none);
});
