import { describe, expect, test } from 'bun:test';
import {
  formatPrice,
  formatSignedTokens,
  formatTokenNumber,
  formatTokens,
  parseTokenAmount,
  payoutCents,
} from './money.ts';

describe('formatPrice', () => {
  test('reads cents as the currency a person knows', () => {
    expect(formatPrice(499, 'usd')).toBe('$4.99');
    expect(formatPrice(9_999, 'USD')).toBe('$99.99');
    expect(formatPrice(100_000, 'usd')).toBe('$1,000.00');
    expect(formatPrice(0, 'usd')).toBe('$0.00');
    expect(formatPrice(1_250, 'eur')).toBe('€12.50');
  });

  test('zero-decimal currencies are not divided by 100', () => {
    expect(formatPrice(500, 'jpy')).toBe('¥500');
  });

  test('an unknown currency code still shows an amount', () => {
    expect(formatPrice(1_999, 'not-a-currency')).toBe('19.99 NOT-A-CURRENCY');
  });
});

describe('token amounts', () => {
  test('singular and plural, grouped thousands', () => {
    expect(formatTokens(1)).toBe('1 token');
    expect(formatTokens(0)).toBe('0 tokens');
    expect(formatTokens(12_500)).toBe('12,500 tokens');
    expect(formatTokenNumber(1_000_000)).toBe('1,000,000');
  });

  test('signed movements use a plus or a real minus sign', () => {
    expect(formatSignedTokens(1_075)).toBe('+1,075');
    expect(formatSignedTokens(-50)).toBe('\u221250');
    expect(formatSignedTokens(0)).toBe('0');
  });

  test('payout value is tokens times the rate, in whole cents', () => {
    expect(payoutCents(1_000, 5)).toBe(5_000);
    expect(formatPrice(payoutCents(1_234, 5), 'usd')).toBe('$61.70');
  });
});

describe('parseTokenAmount', () => {
  test('accepts whole positive numbers, with separators', () => {
    expect(parseTokenAmount('50')).toBe(50);
    expect(parseTokenAmount(' 1,000 ')).toBe(1_000);
    expect(parseTokenAmount('2 500')).toBe(2_500);
  });

  test('refuses anything that is not a whole number of tokens', () => {
    for (const text of ['', '  ', '0', '-5', '1.5', '1e3', '12abc', '0x10', 'NaN', '99999999999999999999']) {
      expect(parseTokenAmount(text)).toBeNull();
    }
  });
});
