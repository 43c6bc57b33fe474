import { describe, expect, test } from 'bun:test';
import { CHAT_LIMITS, formatDuration } from './client.ts';

// The apps' waits, slow-mode options, timeouts and moderation-log lines all read through this one formatter.
describe('formatDuration', () => {
  test.each([
    [1, '1 s'],
    [42, '42 s'],
    [45, '45 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [250, '4 min 10 s'],
    [600, '10 min'],
    [3_599, '59 min 59 s'],
    [3_600, '1 h'],
    [5_400, '1 h 30 min'],
    [3_600 * 3 + 300, '3 h 5 min'],
    [86_400, '1 d'],
    [86_401, '1 d'],
    [93_600, '1 d 2 h'],
    [86_400 * 7, '7 d'],
    [1_209_600, '14 d'],
  ])('%p seconds read as %p', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  test('a wait that is almost over still reads as a second, never as nothing', () => {
    expect(formatDuration(0.2)).toBe('1 s');
  });

  test('is at most two units, the larger first, for every timeout the API allows', () => {
    for (
      let seconds = CHAT_LIMITS.timeoutSecondsMin;
      seconds <= CHAT_LIMITS.timeoutSecondsMax;
      seconds += 997
    ) {
      const parts = formatDuration(seconds).split(' ');
      expect(parts.length === 2 || parts.length === 4).toBe(true);
      expect(Number(parts[0])).toBeGreaterThan(0);
    }
  });
});
