import { describe, expect, test } from 'bun:test';
import { canGrant, checkGrant, grantDone } from './grant.ts';

const admin = { id: 'admin-id', role: 'admin' } as const;
const moderator = { id: 'moderator-id', role: 'moderator' } as const;
const user = { id: 'viewer-id', bannedAt: null };

describe('canGrant', () => {
  test('only admins grant, never to themselves or to a banned account', () => {
    expect(canGrant(user, admin)).toBe(true);
    expect(canGrant(user, moderator)).toBe(false);
    expect(canGrant({ id: admin.id, bannedAt: null }, admin)).toBe(false);
    expect(canGrant({ ...user, bannedAt: new Date() }, admin)).toBe(false);
  });
});

describe('checkGrant', () => {
  test('says what the API says about the amount and the reason (packages/core/src/economy/grants.ts)', () => {
    expect(checkGrant('', 'Support case').amount).toBe('Enter the number of tokens to grant.');
    expect(checkGrant('0', 'Support case').amount).toBe('Grant at least 1 token.');
    expect(checkGrant('2.5', 'Support case').amount).toBe('Grants are whole tokens.');
    expect(checkGrant('1000001', 'Support case').amount).toBe(
      'A single grant can be at most 1,000,000 tokens.',
    );
    expect(checkGrant('100', '  ').reason).toBe(
      'Say why these tokens are granted (it is written to the moderation log).',
    );
    expect(checkGrant('100', 'ok').reason).toBe('Say why these tokens are granted (at least 3 characters).');
    expect(checkGrant(' 500 ', ' Support case ')).toEqual({ amount: null, reason: null });
  });
});

describe('grantDone', () => {
  test('names the amount, the user and their new balance; a repeat says nothing more was sent', () => {
    expect(grantDone('maya', { amountTokens: 1500, walletTokens: 6500, replayed: false })).toBe(
      'Granted 1,500 tokens to @maya. Their wallet now holds 6,500.',
    );
    expect(grantDone('maya', { amountTokens: 1500, walletTokens: null, replayed: true })).toBe(
      'These 1,500 tokens were already granted to @maya; nothing more was sent.',
    );
  });
});
