import { expect, test } from 'bun:test';
import { formatCount, monogram } from './format.ts';

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
