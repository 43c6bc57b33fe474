import { describe, expect, test } from 'bun:test';
import type { TipFact } from '../facts.ts';
import { bucketFor, dayBucket, hourBucket, kingHours, tipIncrements, weekBucket } from './keys.ts';

const at = (iso: string) => new Date(iso);

function fact(overrides: Partial<TipFact> = {}): TipFact {
  return {
    kind: 'tip',
    transactionId: 1,
    at: at('2026-12-02T10:00:00Z'),
    tipId: 1,
    streamId: 'stream',
    streamerId: 'streamer',
    tipperId: 'tipper',
    amountTokens: 5,
    anonymous: false,
    tippedAt: at('2026-12-02T10:00:00Z'),
    categoryId: 7,
    ...overrides,
  };
}

describe('board periods are UTC', () => {
  test('a tip at 23:59:59.999 and one at 00:00:00.000 land in different days', () => {
    expect(dayBucket(at('2026-12-02T23:59:59.999Z'))).toBe('d:2026-12-02');
    expect(dayBucket(at('2026-12-03T00:00:00.000Z'))).toBe('d:2026-12-03');
    // A local offset does not move the day: 01:30 in Paris on the 3rd is still the 2nd in UTC.
    expect(dayBucket(at('2026-12-03T01:30:00+02:00'))).toBe('d:2026-12-02');
    expect(hourBucket(at('2026-12-02T23:59:59.999Z'))).toBe('h:2026120223');
    expect(hourBucket(at('2026-12-03T00:00:00.000Z'))).toBe('h:2026120300');
  });

  test('ISO weeks start Monday 00:00 UTC', () => {
    // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
    expect(weekBucket(at('2026-11-29T23:59:59.999Z'))).toBe('w:2026-W48');
    expect(weekBucket(at('2026-11-30T00:00:00.000Z'))).toBe('w:2026-W49');
    expect(weekBucket(at('2026-12-06T23:59:59.999Z'))).toBe('w:2026-W49');
  });

  test('a week across the new year belongs to the ISO week-year of its Thursday', () => {
    // 2026-12-31 is a Thursday: that week is 2026-W53, and 2027-01-03 (Sunday) is still in it.
    expect(weekBucket(at('2026-12-28T00:00:00Z'))).toBe('w:2026-W53');
    expect(weekBucket(at('2027-01-03T23:59:59.999Z'))).toBe('w:2026-W53');
    expect(weekBucket(at('2027-01-04T00:00:00Z'))).toBe('w:2027-W01');
    // 2024-12-30 (Monday) starts 2025-W01.
    expect(weekBucket(at('2024-12-29T23:59:59Z'))).toBe('w:2024-W52');
    expect(weekBucket(at('2024-12-30T00:00:00Z'))).toBe('w:2025-W01');
  });

  test('the month and all-time buckets, and the king’s twelve hours', () => {
    expect(bucketFor('month', at('2026-12-31T23:59:59.999Z'))).toBe('m:2026-12');
    expect(bucketFor('month', at('2027-01-01T00:00:00Z'))).toBe('m:2027-01');
    expect(bucketFor('all', at('2027-01-01T00:00:00Z'))).toBe('all');
    const hours = kingHours(at('2026-12-03T05:10:00Z'));
    expect(hours).toHaveLength(12);
    expect(hours[0]).toBe('h:2026120305');
    expect(hours[11]).toBe('h:2026120218');
  });
});

describe('the keys a tip moves', () => {
  const paris = { continent: 'EU', country: 'FR' };
  const us = { continent: 'NA', country: 'US' };

  test('tippers count in their own region, streamers in theirs, both in the category; the room has the hour', () => {
    const keys = tipIncrements(fact(), paris, us).map(
      (inc) => `${inc.board}:${inc.scope}:${inc.bucket}=${inc.member}`,
    );
    expect(keys).toContain('tippers:ctry:FR:d:2026-12-02=tipper');
    expect(keys).toContain('tippers:cont:EU:w:2026-W49=tipper');
    expect(keys).toContain('tippers:cat:7:m:2026-12=tipper');
    expect(keys).toContain('tippers:str:streamer:h:2026120210=tipper');
    expect(keys).toContain('tippers:str:streamer:all=tipper');
    expect(keys).toContain('streamers:ctry:US:all=streamer');
    expect(keys).toContain('streamers:g:d:2026-12-02=streamer');
    expect(keys.filter((key) => key.includes(':h:'))).toEqual(['tippers:str:streamer:h:2026120210=tipper']);
    expect(keys.some((key) => key.startsWith('streamers:str:'))).toBe(false);
  });

  test('an anonymous tip counts for the streamer only', () => {
    const incs = tipIncrements(fact({ anonymous: true }), paris, us);
    expect(incs.length).toBeGreaterThan(0);
    expect(incs.every((inc) => inc.board === 'streamers' && inc.member === 'streamer')).toBe(true);
  });

  test('a reversal takes its tokens back at the tip’s own buckets', () => {
    const reversal = fact({
      kind: 'tip_reversal',
      amountTokens: -5,
      at: at('2026-12-09T10:00:00Z'),
      tippedAt: at('2026-12-02T10:00:00Z'),
    });
    const incs = tipIncrements(reversal, paris, us);
    expect(incs.every((inc) => inc.delta === -5)).toBe(true);
    expect(incs.some((inc) => inc.bucket === 'd:2026-12-02')).toBe(true);
    expect(incs.some((inc) => inc.bucket === 'd:2026-12-09')).toBe(false);
  });
});
