import { describe, expect, test } from 'bun:test';
import { leagueFor, leagueName, levelUpLine, spendTierOf } from './levels.ts';

describe('levels in the web app', () => {
  test('a level-up reads as the room sees it', () => {
    expect(levelUpLine('Ana', 12, 'bronze')).toBe('Ana reached level 12 · Bronze');
  });

  test('lines stored before levels existed get their league from the level', () => {
    expect(leagueFor(55)).toBe('diamond');
    expect(leagueFor(55, 'gold')).toBe('gold');
    expect(leagueName(leagueFor(100))).toBe('Legend');
  });

  test('a name colour only for tiers 1 to 3', () => {
    expect([undefined, 0, 1, 3, 7].map((spendTier) => spendTierOf({ spendTier }))).toEqual([0, 0, 1, 3, 0]);
    expect(spendTierOf(null)).toBe(0);
  });
});
