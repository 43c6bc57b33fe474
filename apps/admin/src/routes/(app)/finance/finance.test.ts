import { describe, expect, test } from 'bun:test';
import {
  type FinanceDay,
  formatRevenue,
  parseLookup,
  parsePeriod,
  parsePurchaseFilter,
  totals,
} from './finance.ts';

const day = (overrides: Partial<FinanceDay>): FinanceDay => ({
  day: '2026-12-04',
  purchases: 0,
  revenueCents: {},
  tokensBought: 0,
  bonusTokens: 0,
  refunds: 0,
  disputes: 0,
  tokensTipped: 0,
  tokensPaidOut: 0,
  payoutCents: 0,
  ...overrides,
});

describe('finance helpers', () => {
  test('revenue is shown per currency, and a day without any as a dash', () => {
    expect(formatRevenue({ usd: 998, eur: 499 })).toBe('€4.99 + $9.98');
    expect(formatRevenue({})).toBe('—');
    expect(formatRevenue({ usd: 0 })).toBe('—');
  });

  test('the period’s totals add every day, currency by currency', () => {
    const sum = totals([
      day({ purchases: 2, revenueCents: { usd: 998 }, tokensTipped: 40 }),
      day({ day: '2026-12-03', purchases: 1, revenueCents: { usd: 499, eur: 100 }, refunds: 1 }),
    ]);
    expect(sum).toMatchObject({
      purchases: 3,
      revenueCents: { usd: 1497, eur: 100 },
      tokensTipped: 40,
      refunds: 1,
    });
  });

  test('the address bar names a transaction or an account, and nonsense names nothing', () => {
    const params = (query: string) => new URLSearchParams(query);
    expect(parseLookup(params('tx=42'))).toEqual({ kind: 'transaction', id: 42 });
    expect(parseLookup(params('account=7'))).toEqual({ kind: 'account', id: 7 });
    for (const bad of ['tx=0', 'tx=-1', 'tx=1e5', 'account=abc', 'tx=99999999999999999999', '']) {
      expect(parseLookup(params(bad))).toBeNull();
    }
    expect(parsePeriod('90')).toBe('90');
    expect(parsePeriod('365')).toBe('30');
    expect(parsePurchaseFilter('disputed')).toBe('disputed');
    expect(parsePurchaseFilter('drop table')).toBe('all');
  });
});
