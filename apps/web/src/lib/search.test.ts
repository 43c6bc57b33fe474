import { expect, test } from 'bun:test';
import { allCount, countLabel, parseSearchTab, type SearchResults, searchHref } from './search.ts';

test('the tab survives a round trip through the address; anything unknown is All', () => {
  for (const tab of ['streams', 'categories', 'people'] as const) {
    const href = searchHref('pasta & co', tab);
    expect(parseSearchTab(new URL(href, 'http://x').searchParams)).toBe(tab);
  }
  expect(searchHref('pasta & co')).toBe('/search?q=pasta+%26+co');
  expect(parseSearchTab(new URLSearchParams('q=a&type=videos'))).toBe('all');
  expect(parseSearchTab(new URLSearchParams('q=a'))).toBe('all');
});

test('counts past the cap read "100+", and All adds the kinds up', () => {
  expect(countLabel({ count: 3, capped: false })).toBe('3');
  expect(countLabel({ count: 100, capped: true })).toBe('100+');
  const section = (count: number, capped = false) => ({
    items: [],
    nextCursor: null,
    total: { count, capped },
  });
  const results = {
    query: 'a',
    streams: section(2),
    categories: section(1),
    people: section(100, true),
  } as unknown as SearchResults;
  expect(allCount(results)).toEqual({ count: 103, capped: true });
  expect(countLabel(allCount(results))).toBe('103+');
});
