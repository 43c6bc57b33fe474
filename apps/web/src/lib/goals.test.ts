import { describe, expect, test } from 'bun:test';
import { deadlineLeft, fromLocalInput, toLocalInput } from './goals.ts';

describe('goal deadlines as people read and type them', () => {
  test('the countdown says how long is left, and when time is up', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(deadlineLeft(null, now)).toBeNull();
    expect(deadlineLeft('2026-12-03T14:05:00Z', now)).toBe('2 h 5 min left');
    expect(deadlineLeft('2026-12-03T12:00:30Z', now)).toBe('30 s left');
    expect(deadlineLeft('2026-12-03T11:59:00Z', now)).toBe('Time is up');
  });

  test('a deadline survives the datetime-local field both ways (to the minute)', () => {
    const iso = '2026-12-04T18:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))?.toISOString()).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('not a date')).toBeNull();
  });
});
