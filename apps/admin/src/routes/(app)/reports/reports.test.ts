import { describe, expect, test } from 'bun:test';
import {
  actionsFor,
  claimStep,
  parseReportsFilter,
  reportsInput,
  reportsSearch,
  type StaffReport,
} from './reports.ts';

const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const person = (id: string) => ({ id, username: `u${id.slice(-1)}`, displayName: 'Someone' });

function report(overrides: Partial<StaffReport> = {}): StaffReport {
  return {
    id: 7,
    kind: 'message',
    reason: 'spam',
    note: '',
    state: 'open',
    action: null,
    resolutionNote: null,
    createdAt: new Date('2026-03-03T12:00:00Z'),
    claimedAt: null,
    resolvedAt: null,
    reporter: person(ME),
    target: { ...person(OTHER), role: 'viewer', bannedAt: null },
    claimedBy: null,
    resolvedBy: null,
    streamId: 'stream',
    message: { id: 3, body: 'hi', sentAt: new Date('2026-03-03T11:59:00Z'), deletedAt: null },
    stream: { id: 'stream', title: 'Late show', status: 'live', streamer: person(OTHER) },
    ...overrides,
  };
}

describe('the reports filter', () => {
  test('reads the address bar, and drops a state that is not in its view', () => {
    const params = new URLSearchParams('view=history&kind=stream&state=open');
    expect(parseReportsFilter(params)).toEqual({ view: 'history', kind: 'stream', state: 'all' });
    expect(parseReportsFilter(new URLSearchParams('kind=nope'))).toEqual({
      view: 'queue',
      kind: 'all',
      state: 'all',
    });
  });

  test('writes back only what is not a default, and asks the API for the same', () => {
    const filter = { view: 'queue', kind: 'message', state: 'in_review' } as const;
    expect(reportsSearch(filter)).toBe('?kind=message&state=in_review');
    expect(reportsInput(filter, 12)).toEqual({
      view: 'queue',
      kind: 'message',
      state: 'in_review',
      cursor: 12,
      limit: 25,
    });
  });
});

describe('what a reviewer is offered', () => {
  test('a message report: dismiss, delete, timeout in its room, ban', () => {
    expect(actionsFor(report())).toEqual(['dismiss', 'delete_message', 'timeout', 'platform_ban']);
  });

  test('a stream report never offers a timeout; a banned target is not banned again', () => {
    const target = { ...person(OTHER), role: 'viewer' as const, bannedAt: new Date() };
    expect(actionsFor(report({ kind: 'stream', message: null, target }))).toEqual(['dismiss']);
  });

  test('claim when open; take over only as an admin, never one’s own claim', () => {
    expect(claimStep(report(), { id: ME, role: 'moderator' })).toBe('claim');
    const held = report({ state: 'in_review', claimedBy: person(OTHER) });
    expect(claimStep(held, { id: ME, role: 'moderator' })).toBeNull();
    expect(claimStep(held, { id: ME, role: 'admin' })).toBe('takeOver');
    expect(claimStep(held, { id: OTHER, role: 'admin' })).toBeNull();
  });
});
