import { expect, test } from 'bun:test';
import { browseSearch, formatElapsed, liveQuery, parseBrowseFilters, parseTags, timeAgo } from './streams.ts';

test('browse filters survive a round trip through the address bar', () => {
  const filters = parseBrowseFilters(new URLSearchParams('category=Music&region=42&sort=newest&nsfw=only'));
  expect(filters).toEqual({ category: 'music', regionId: 42, sort: 'newest', content: 'nsfw' });
  expect(browseSearch(filters)).toBe('?category=music&region=42&sort=newest&nsfw=only');
  expect(parseBrowseFilters(new URLSearchParams(browseSearch(filters)))).toEqual(filters);
});

test('unknown or hostile filter values fall back to the defaults', () => {
  const filters = parseBrowseFilters(new URLSearchParams('region=-3&sort=loudest&nsfw=yes&category='));
  expect(filters).toEqual({ category: null, regionId: null, sort: 'viewers', content: 'default' });
  expect(browseSearch(filters)).toBe('');
  expect(parseBrowseFilters(new URLSearchParams('region=99999999999')).regionId).toBeNull();
});

test('the NSFW switch maps onto the API: left out, false, or true', () => {
  const base = { category: null, regionId: null, sort: 'viewers' as const };
  expect('nsfw' in liveQuery({ ...base, content: 'default' }, null)).toBe(false);
  expect(liveQuery({ ...base, content: 'sfw' }, null).nsfw).toBe(false);
  expect(liveQuery({ ...base, content: 'nsfw' }, 3, 'next').nsfw).toBe(true);
  expect(liveQuery({ ...base, content: 'nsfw' }, 3, 'next')).toMatchObject({ categoryId: 3, cursor: 'next' });
});

test('tags are split, trimmed, lower-cased and deduplicated', () => {
  expect(parseTags(' Acoustic,covers ,, 90s ,acoustic, Late  Night ')).toEqual([
    'acoustic',
    'covers',
    '90s',
    'late night',
  ]);
  expect(parseTags('')).toEqual([]);
});

test('durations and ages read naturally', () => {
  expect(formatElapsed(null)).toBeNull();
  expect(formatElapsed(30)).toBe('less than a minute');
  expect(formatElapsed(42 * 60)).toBe('42 min');
  expect(formatElapsed(2 * 3600 + 5 * 60)).toBe('2 h 05 min');
  const now = new Date('2026-03-04T12:00:00Z');
  expect(timeAgo(new Date('2026-03-04T11:59:30Z'), now)).toBe('just now');
  expect(timeAgo(new Date('2026-03-04T11:00:00Z'), now)).toBe('1 hour ago');
  expect(timeAgo(new Date('2026-03-01T12:00:00Z'), now)).toBe('3 days ago');
});
