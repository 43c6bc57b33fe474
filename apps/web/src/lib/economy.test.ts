import { expect, test } from 'bun:test';
import {
  canEarn,
  historyLabel,
  newIdempotencyKey,
  parseAnalyticsRange,
  rangeDays,
  stripeListenCommand,
} from './economy.ts';

test('tips read from the person’s side of the ledger', () => {
  expect(historyLabel({ kind: 'tip', amountTokens: -50 })).toBe('Tip sent');
  expect(historyLabel({ kind: 'tip', amountTokens: 50 })).toBe('Tip received');
  expect(historyLabel({ kind: 'withdrawal_reversal', amountTokens: 1_000 })).toBe('Withdrawal returned');
  expect(historyLabel({ kind: 'tip_reversal', amountTokens: -50 })).toBe('Tip reversed (refunded payment)');
  expect(historyLabel({ kind: 'grant', amountTokens: 5_000 })).toBe('Granted by the platform');
});

test('the Stripe CLI forwards test webhooks to this site’s API', () => {
  expect(stripeListenCommand('http://localhost:3000')).toBe(
    'stripe listen --forward-to localhost:3000/webhooks/stripe',
  );
  expect(stripeListenCommand('http://127.0.0.1:4100/')).toBe(
    'stripe listen --forward-to 127.0.0.1:4100/webhooks/stripe',
  );
  expect(stripeListenCommand('')).toBe('stripe listen --forward-to localhost:3000/webhooks/stripe');
});

test('only streamers and admins earn', () => {
  expect(['viewer', 'streamer', 'moderator', 'admin'].filter(canEarn)).toEqual(['streamer', 'admin']);
});

test('idempotency keys are fresh and fit the API’s pattern', () => {
  const first = newIdempotencyKey();
  expect(first).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
  expect(newIdempotencyKey()).not.toBe(first);
});

test('the analytics range comes from the address bar, defaulting to 30 days', () => {
  expect(parseAnalyticsRange('7d')).toBe('7d');
  expect(parseAnalyticsRange('90d')).toBe('90d');
  for (const bad of [null, undefined, '', '365d', '7D', 'constructor'])
    expect(parseAnalyticsRange(bad)).toBe('30d');
  expect(rangeDays('90d')).toBe(90);
});
