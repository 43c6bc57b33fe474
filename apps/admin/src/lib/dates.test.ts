import { expect, test } from 'bun:test';
import { formatDateTime, formatDay } from './dates.ts';

test('dates read the same for every member of staff, in UTC', () => {
  const late = new Date('2026-03-03T23:30:00Z');
  expect(formatDay(late)).toBe('3 Mar 2026');
  expect(formatDateTime(late)).toBe('3 Mar 2026, 23:30 UTC');
});
