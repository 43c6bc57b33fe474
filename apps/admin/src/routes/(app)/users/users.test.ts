import { describe, expect, test } from 'bun:test';
import {
  type AdminUser,
  afterBanChange,
  BAN_REASON_MAX,
  banActionFor,
  banDone,
  checkBanReason,
  parseUsersFilter,
  SEARCH_MAX,
  USERS_PAGE_SIZE,
  usersInput,
  usersSearch,
} from './users.ts';

const admin = { id: 'admin-id', role: 'admin' } as const;
const moderator = { id: 'moderator-id', role: 'moderator' } as const;

const viewer: AdminUser = {
  id: 'viewer-id',
  username: 'oskar_nord',
  displayName: 'Oskar Lindqvist',
  email: 'oskar_nord@example.com',
  role: 'viewer',
  avatarUrl: null,
  bannedAt: null,
  banReason: null,
  createdAt: new Date('2026-01-02T10:00:00Z'),
  lastLoginAt: null,
};

describe('parseUsersFilter', () => {
  test('reads the search and the banned-only switch from the address', () => {
    expect(parseUsersFilter(new URLSearchParams('q=%20oskar%20&banned=1'))).toEqual({
      query: 'oskar',
      bannedOnly: true,
    });
    expect(parseUsersFilter(new URLSearchParams('banned=on')).bannedOnly).toBe(true);
  });

  test('anything else means every account, unfiltered', () => {
    expect(parseUsersFilter(new URLSearchParams(''))).toEqual({ query: '', bannedOnly: false });
    expect(parseUsersFilter(new URLSearchParams('q=&banned=0')).bannedOnly).toBe(false);
  });

  test('a search longer than the API accepts is cut, never sent as is', () => {
    const { query } = parseUsersFilter(new URLSearchParams({ q: 'x'.repeat(SEARCH_MAX + 20) }));
    expect(query).toHaveLength(SEARCH_MAX);
  });
});

describe('usersSearch and usersInput', () => {
  test('round-trip through the address bar', () => {
    for (const filter of [
      { query: '', bannedOnly: false },
      { query: 'ana & co', bannedOnly: false },
      { query: 'oskar', bannedOnly: true },
    ]) {
      expect(parseUsersFilter(new URLSearchParams(usersSearch(filter)))).toEqual(filter);
    }
    expect(usersSearch({ query: '', bannedOnly: false })).toBe('');
  });

  test('ask the API only for what the filter says, a page at a time', () => {
    expect(usersInput({ query: '', bannedOnly: false })).toEqual({ banned: false, limit: USERS_PAGE_SIZE });
    expect(usersInput({ query: 'ana', bannedOnly: true }, 'amara_o')).toEqual({
      query: 'ana',
      banned: true,
      cursor: 'amara_o',
      limit: USERS_PAGE_SIZE,
    });
  });
});

describe('banActionFor', () => {
  test('admins may ban active accounts and unban banned ones', () => {
    expect(banActionFor(viewer, admin)).toBe('ban');
    expect(banActionFor({ ...viewer, role: 'moderator' }, admin)).toBe('ban');
    expect(banActionFor({ ...viewer, bannedAt: new Date() }, admin)).toBe('unban');
  });

  test('moderators see the list but get no ban buttons', () => {
    expect(banActionFor(viewer, moderator)).toBeNull();
    expect(banActionFor({ ...viewer, bannedAt: new Date() }, moderator)).toBeNull();
  });

  test('no button the API would refuse: another admin, or oneself', () => {
    expect(banActionFor({ ...viewer, role: 'admin' }, admin)).toBeNull();
    expect(banActionFor({ ...viewer, id: admin.id, role: 'admin' }, admin)).toBeNull();
  });
});

describe('checkBanReason', () => {
  test('asks for 3 to 500 characters once spaces are trimmed, like the API', () => {
    expect(checkBanReason('')).toContain('at least 3');
    expect(checkBanReason('  ab  ')).toContain('at least 3');
    expect(checkBanReason('spam')).toBeNull();
    expect(checkBanReason('x'.repeat(BAN_REASON_MAX))).toBeNull();
    expect(checkBanReason('x'.repeat(BAN_REASON_MAX + 1))).toContain('under 500');
  });
});

describe('afterBanChange', () => {
  const now = new Date('2026-03-03T12:00:00Z');

  test('a ban marks the row banned with the trimmed reason; an unban clears both', () => {
    const banned = afterBanChange(viewer, 'ban', '  spam links  ', now);
    expect(banned).toMatchObject({ id: viewer.id, bannedAt: now, banReason: 'spam links' });
    expect(afterBanChange(banned, 'unban', 'appeal accepted', now)).toEqual(viewer);
  });

  test('leaves the loaded row itself untouched', () => {
    afterBanChange(viewer, 'ban', 'spam', now);
    expect(viewer.bannedAt).toBeNull();
  });
});

test('banDone names the account and what changed for them', () => {
  expect(banDone('ban', 'oskar_nord')).toBe(
    'Banned @oskar_nord. Their sessions have ended and they cannot sign in.',
  );
  expect(banDone('unban', 'oskar_nord')).toContain('can sign in again');
});
