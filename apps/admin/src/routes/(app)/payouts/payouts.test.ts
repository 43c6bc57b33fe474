import { describe, expect, test } from 'bun:test';
import { actionDone, actionsFor, formatCents, parseStatusFilter } from './payouts.ts';

describe('actionsFor', () => {
  test('offers only the steps the API allows from each status', () => {
    expect(actionsFor('pending')).toEqual(['approve', 'reject']);
    expect(actionsFor('held')).toEqual(['approveHeld', 'reject']);
    expect(actionsFor('approved')).toEqual(['markPaid', 'reject']);
    expect(actionsFor('paid')).toEqual([]);
    expect(actionsFor('rejected')).toEqual([]);
  });
});

describe('parseStatusFilter', () => {
  test('defaults to the pending queue', () => {
    expect(parseStatusFilter(null)).toBe('pending');
    expect(parseStatusFilter('bogus')).toBe('pending');
    expect(parseStatusFilter('paid')).toBe('paid');
    expect(parseStatusFilter('held')).toBe('held');
    expect(parseStatusFilter('all')).toBe('all');
  });
});

test('formatCents reads US cents as dollars', () => {
  expect(formatCents(6_000)).toBe('$60.00');
  expect(formatCents(5)).toBe('$0.05');
  expect(formatCents(123_456)).toBe('$1,234.56');
});

test('actionDone names the amount and the streamer', () => {
  const withdrawal = { amountTokens: 1_200, streamer: { username: 'luna_sings', displayName: 'Luna' } };
  expect(actionDone('approve', withdrawal)).toBe('Approved 1,200 tokens for @luna_sings.');
  expect(actionDone('reject', withdrawal)).toContain('back in their earnings');
  expect(actionDone('approveHeld', withdrawal)).toBe(
    'Approved the held withdrawal of 1,200 tokens for @luna_sings.',
  );
});
