import { describe, expect, test } from 'bun:test';
import { createKingTracker, type King, kingKey, kingLabel } from './king.ts';

const ana: King = {
  user: { id: 'u1', username: 'ana', displayName: 'Ana', avatarUrl: null },
  scoreTokens: 1_200,
  since: '2026-12-03T10:00:00.000Z',
};
const bo: King = {
  user: { id: 'u2', username: 'bo', displayName: 'Bo', avatarUrl: null },
  scoreTokens: 1_500,
  since: '2026-12-03T11:00:00.000Z',
};
const hidden: King = { user: null, scoreTokens: 1, since: '2026-12-03T12:00:00.000Z' };

test('the crown on the stream names the king and their tokens, or "Anonymous"', () => {
  expect(kingLabel(ana)).toBe('👑 Ana · 1,200 tokens');
  expect(kingLabel(hidden)).toBe('👑 Anonymous · 1 token');
});

describe('createKingTracker', () => {
  test('the arrival snapshot is not announced; each change of hands is, once', () => {
    const tracker = createKingTracker();
    expect(tracker.observe(ana)).toBeNull();
    // The same king again (a reconnect's snapshot, a higher score) is no news.
    expect(tracker.observe({ ...ana, scoreTokens: 1_300 })).toBeNull();
    expect(tracker.observe(bo)).toBe('👑 Bo is the new king of the room');
    expect(tracker.observe(bo)).toBeNull();
    expect(tracker.observe(hidden)).toBe('👑 Anonymous is the new king of the room');
    // The chat keeps one line per key: the same reign announced twice (a replay) is one line.
    expect(kingKey(bo)).toBe('u2:2026-12-03T11:00:00.000Z');
    expect(kingKey(hidden)).toBe('anonymous:2026-12-03T12:00:00.000Z');
  });

  test('a crown that lapses is not announced, the next king is', () => {
    const tracker = createKingTracker();
    expect(tracker.observe(null)).toBeNull();
    expect(tracker.observe(ana)).toBe('👑 Ana is the new king of the room');
    expect(tracker.observe(null)).toBeNull();
    expect(tracker.observe(ana)).toBe('👑 Ana is the new king of the room');
  });
});
