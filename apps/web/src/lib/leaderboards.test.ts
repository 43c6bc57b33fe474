import { describe, expect, test } from 'bun:test';
import {
  type BoardEntry,
  emptyBoardText,
  entryName,
  parseScope,
  parseSelection,
  scopeGroups,
  scopeName,
  selectionHref,
  toPassText,
} from './leaderboards.ts';
import type { Category, RegionTree } from './types.ts';

const user = (username: string, id = username) => ({
  id,
  username,
  displayName: username.toUpperCase(),
  avatarUrl: null,
});
const entries: BoardEntry[] = [
  { rank: 1, score: 900, user: user('ana') },
  { rank: 2, score: 500, user: null },
  { rank: 3, score: 120, user: user('bo') },
];

describe('toPassText', () => {
  test('names the person just above, with the tokens it takes to pass them', () => {
    expect(toPassText('tippers', { rank: 4, score: 100, toPass: 21 }, entries)).toBe('21 tokens to pass @bo');
    expect(toPassText('tippers', { rank: 2, score: 500, toPass: 401 }, entries)).toBe(
      '401 tokens to pass @ana',
    );
  });

  test('a hidden person above is "Anonymous", someone off the list is "the next person"', () => {
    expect(toPassText('tippers', { rank: 3, score: 120, toPass: 381 }, entries)).toBe(
      '381 tokens to pass Anonymous',
    );
    expect(toPassText('tippers', { rank: 1_204, score: 5, toPass: 1 }, entries)).toBe(
      '1 token to pass the next person',
    );
  });

  test('thousands are grouped', () => {
    expect(toPassText('tippers', { rank: 2, score: 1, toPass: 12_500 }, entries)).toBe(
      '12,500 tokens to pass @ana',
    );
  });

  test('says how to get on the board when not on it, and that the top is held', () => {
    expect(toPassText('tippers', { rank: null, score: 0, toPass: 1 }, entries)).toBe(
      'Tip to get on the board',
    );
    // A full list: what it takes to enter it.
    expect(toPassText('tippers', { rank: null, score: 0, toPass: 121 }, entries)).toBe(
      'Tip 121 tokens to get on the board',
    );
    expect(toPassText('streamers', { rank: null, score: 0, toPass: null }, [])).toMatch(/Earn tips/);
    expect(toPassText('tippers', { rank: 1, score: 900, toPass: null }, entries)).toMatch(/on top/);
  });
});

describe('the address bar', () => {
  test('round-trips a board, scope and period, and leaves the defaults out', () => {
    const selection = { board: 'streamers', scope: { kind: 'country', id: 'FR' }, period: 'week' } as const;
    const href = selectionHref(selection);
    expect(href).toBe('/leaderboards?board=streamers&scope=country%3AFR&period=week');
    expect(parseSelection(new URL(href, 'http://x').searchParams)).toEqual(selection);
    expect(selectionHref({ board: 'tippers', scope: { kind: 'global' }, period: 'day' })).toBe(
      '/leaderboards',
    );
  });

  test('anything unknown falls back to today’s global tippers', () => {
    expect(parseSelection(new URLSearchParams('board=x&scope=planet:3&period=year'))).toEqual({
      board: 'tippers',
      scope: { kind: 'global' },
      period: 'day',
    });
    // A stream's board is on the stream's page, not in the page's picker.
    expect(parseScope('stream:abc')).toEqual({ kind: 'global' });
    expect(parseScope('category:')).toEqual({ kind: 'global' });
  });
});

describe('scopeGroups', () => {
  const tree = [
    {
      id: 1,
      name: 'Europe',
      code: 'EU',
      children: [
        { id: 11, name: 'Spain', code: 'ES', children: [] },
        { id: 12, name: 'France', code: 'FR', children: [] },
        { id: 13, name: 'Nowhere', code: null, children: [] },
      ],
    },
    { id: 2, name: 'Antarctica', code: 'AN', children: [] },
  ] as unknown as RegionTree;
  const categories = [
    { id: 5, name: 'Music' },
    { id: 4, name: 'Art' },
  ] as unknown as Category[];

  test('global, the continents, each continent’s countries A–Z (by ISO code), then the categories A–Z', () => {
    const groups = scopeGroups(tree, categories);
    expect(groups.map((group) => group.label)).toEqual([
      'Everywhere',
      'Continents',
      'Countries in Europe',
      'Categories',
    ]);
    expect(groups[2]!.options.map((option) => option.label)).toEqual(['France', 'Spain']);
    expect(groups[3]!.options.map((option) => option.value)).toEqual(['category:4', 'category:5']);
    expect(groups[1]!.options.map((option) => option.value)).toEqual(['continent:EU', 'continent:AN']);
    expect(scopeName(groups, { kind: 'country', id: 'FR' })).toBe('France');
    expect(scopeName(groups, { kind: 'global' })).toBe('Global');
  });

  test('without regions or categories (they failed to load) the global board is still there', () => {
    expect(scopeGroups(null, null)).toEqual([
      { label: 'Everywhere', options: [{ value: 'global', label: 'Global' }] },
    ]);
  });
});

test('empty boards and hidden people read as a person would say it', () => {
  expect(emptyBoardText('tippers', 'day')).toBe('No tips yet today — be the first');
  expect(emptyBoardText('tippers', 'all')).toBe('No tips yet — be the first');
  expect(emptyBoardText('streamers', 'week')).toBe('No streamer has earned tips yet this week.');
  expect(entryName({ user: null })).toBe('Anonymous');
  expect(entryName({ user: user('ana') })).toBe('ANA');
});
