import { expect, test } from 'bun:test';
import { formatCount, formatDateTime, formatShortDate, monogram } from './format.ts';

test('monogram takes two words or two letters', () => {
  expect(monogram('After Dark')).toBe('AD');
  expect(monogram('Talk Shows & Podcasts')).toBe('TS');
  expect(monogram('Gaming')).toBe('GA');
  expect(monogram('IRL')).toBe('IR');
  expect(monogram('  ')).toBe('?');
});

test('formatCount picks singular or plural', () => {
  expect(formatCount(1, 'follower')).toBe('1 follower');
  expect(formatCount(1200, 'follower')).toBe('1,200 followers');
});

test('formatDateTime reads the same on the server and in the browser (UTC)', () => {
  expect(formatDateTime(new Date('2026-03-04T15:07:00Z'))).toBe('Mar 4, 2026, 3:07 PM UTC');
});

test('formatShortDate reads a chart day in UTC', () => {
  expect(formatShortDate('2026-03-04')).toBe('Mar 4');
  expect(formatShortDate(new Date('2026-12-31T23:59:00Z'))).toBe('Dec 31');
});
