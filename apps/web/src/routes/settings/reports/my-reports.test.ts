import { describe, expect, test } from 'bun:test';
import { type MyReport, reportStatus, reportSubject } from './my-reports.ts';

function report(overrides: Partial<MyReport> = {}): MyReport {
  return {
    id: 1,
    kind: 'message',
    reason: 'spam',
    note: '',
    state: 'open',
    action: null,
    createdAt: new Date('2026-03-03T12:00:00Z'),
    resolvedAt: null,
    target: { id: 'u', username: 'kenji_watches', displayName: 'Kenji Sato' },
    messageBody: 'buy followers',
    streamTitle: 'Late show',
    ...overrides,
  };
}

describe('my reports', () => {
  test('say where each report stands, with what was done once resolved', () => {
    expect(reportStatus(report()).label).toBe('Waiting for a moderator');
    expect(reportStatus(report({ state: 'in_review' })).label).toBe('A moderator is looking at it');
    expect(reportStatus(report({ state: 'resolved', action: 'timeout' })).label).toBe(
      'Resolved: the person was timed out of the chat',
    );
    expect(reportStatus(report({ state: 'dismissed', action: 'dismiss' })).label).toBe(
      'Dismissed: no rule was broken',
    );
  });

  test('name what was reported, and a deleted account as such', () => {
    expect(reportSubject(report())).toBe('A message by @kenji_watches: “buy followers”');
    expect(reportSubject(report({ kind: 'stream' }))).toBe('The stream “Late show” by @kenji_watches');
    expect(reportSubject(report({ kind: 'user' }))).toBe('Kenji Sato (@kenji_watches)');
    expect(reportSubject(report({ kind: 'user', target: null }))).toBe('A deleted account');
  });
});
