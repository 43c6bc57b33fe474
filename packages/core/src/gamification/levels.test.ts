import { describe, expect, test } from 'bun:test';
import { SEED_GREY_XP } from '@app/db/seed';
import {
  ACTIVITY_XP_MAX,
  GREY_XP,
  LEAGUES,
  leagueOf,
  levelFor,
  levelTable,
  progress,
  SPEND_XP,
  STREAMER_XP,
  spendTierFor,
  viewerLevel,
  xpForLevel,
} from './levels.ts';

describe('the level curve', () => {
  test('spend XP from level 10 follows 100·(r^(L−10) − 1)/(r − 1)', () => {
    expect(xpForLevel('viewer', 10)).toBe(0);
    expect(xpForLevel('viewer', 11)).toBe(100);
    expect(xpForLevel('viewer', 20)).toBe(1_425);
    expect(Math.abs(xpForLevel('viewer', 55) - 34_850)).toBeLessThan(50);
    expect(Math.abs(xpForLevel('viewer', 100) - 1_000_000)).toBeLessThan(500);
    for (let i = 1; i < SPEND_XP.length; i++) expect(SPEND_XP[i]!).toBeGreaterThan(SPEND_XP[i - 1]!);
  });

  test('levels at and around the thresholds', () => {
    expect(levelFor('viewer', 1_424)).toBe(19);
    expect(levelFor('viewer', 1_425)).toBe(20);
    expect(levelFor('viewer', 5_000_000)).toBe(100);
    expect(levelFor('viewer', 0, false)).toBe(1);
    expect(levelFor('viewer', 9, false)).toBe(1);
    expect(levelFor('viewer', 10, false)).toBe(2);
    expect(levelFor('viewer', 100_000, false)).toBe(9);
  });

  test('seven leagues cover levels 1 to 100 without a gap', () => {
    expect(LEAGUES[0]!.from).toBe(1);
    for (let i = 1; i < LEAGUES.length; i++) expect(LEAGUES[i]!.from).toBe(LEAGUES[i - 1]!.to + 1);
    expect(LEAGUES.at(-1)!.to).toBe(100);
    expect([9, 10, 19, 20, 34, 35, 54, 55, 79, 80, 99, 100].map(leagueOf)).toEqual([
      'grey',
      'bronze',
      'bronze',
      'silver',
      'silver',
      'gold',
      'gold',
      'diamond',
      'diamond',
      'royal',
      'royal',
      'legend',
    ]);
  });

  test('a first purchase or tip lifts to level 10; activity alone never passes 9', () => {
    expect(viewerLevel({ spendXp: 0, activityXp: 0, standingPurchases: 1 })).toBe(10);
    expect(viewerLevel({ spendXp: 5, activityXp: 0, standingPurchases: 0 })).toBe(10);
    expect(viewerLevel({ spendXp: 0, activityXp: 10_000, standingPurchases: 0 })).toBe(9);
    expect(viewerLevel({ spendXp: 0, activityXp: ACTIVITY_XP_MAX - 1, standingPurchases: 0 })).toBe(8);
  });

  test('progress: XP into the level and for the next', () => {
    expect(progress('viewer', 250)).toMatchObject({ level: 12, xpIntoLevel: 42, xpForNext: 116 });
    expect(progress('viewer', 30, false)).toMatchObject({
      level: 3,
      league: 'grey',
      xpIntoLevel: 5,
      xpForNext: 25,
    });
    // Grey level 9 goes on only with a purchase or a tip.
    expect(progress('viewer', 400, false)).toMatchObject({ level: 9, xpForNext: null, fraction: 1 });
    expect(progress('viewer', 2_000_000)).toMatchObject({ level: 100, league: 'legend', xpForNext: null });
  });

  test('the streamer curve runs from level 1 to 100', () => {
    expect(STREAMER_XP[0]).toBe(0);
    expect(levelFor('streamer', 100)).toBe(2);
    expect(levelFor('streamer', 4_001)).toBe(20);
    expect(Math.round(STREAMER_XP[99]! / 10_000)).toBe(194);
  });

  test('name colour tiers from 14-day spend', () => {
    expect([0, 49, 50, 249, 250, 999, 1_000, 50_000].map(spendTierFor)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  test("the demo users' levels follow the same grey thresholds", () => {
    expect(SEED_GREY_XP).toEqual(GREY_XP);
  });

  test('the table lists every level once', () => {
    const table = levelTable();
    expect(table.viewer).toHaveLength(100);
    expect(table.viewer[19]).toEqual({ level: 20, league: 'silver', xp: 1_425, from: 'spend' });
    expect(table.viewer[8]).toMatchObject({ level: 9, from: 'activity', xp: 350 });
  });
});
