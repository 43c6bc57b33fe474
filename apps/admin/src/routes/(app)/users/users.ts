import type { RouterInputs, RouterOutputs } from '@app/api';
import { type ApiProblem, STAFF_LIMITS, USER_LIMITS } from '@app/api/client';
import type { Viewer } from '#lib/roles.ts';

export type AdminUser = RouterOutputs['admin']['users']['items'][number];
export type BanAction = 'ban' | 'unban';

/** What the address bar asks for: `?q=` (a search) and `?banned=1` (banned accounts only). */
export interface UsersFilter {
  query: string;
  bannedOnly: boolean;
}

/** The first page of the list as the load streams it in. */
export type UsersResult =
  | { ok: true; items: AdminUser[]; nextCursor: string | null }
  | { ok: false; problem: ApiProblem };

/** `depends()` key of the users load, so Refresh re-runs only that query. */
export const USERS_DEPENDENCY = 'admin:users';
/** Rows per page; "Load more" fetches the next page in the browser. */
export const USERS_PAGE_SIZE = 25;
/** The API refuses longer searches. */
export const SEARCH_MAX = USER_LIMITS.searchMax;
/** The API's bounds for the reason of a ban or an unban. */
export const BAN_REASON_MIN = STAFF_LIMITS.banReasonMin;
export const BAN_REASON_MAX = STAFF_LIMITS.banReasonMax;

/** `?q=` and `?banned=` from the address bar; a search the API would refuse is cut to its limit. */
export function parseUsersFilter(params: URLSearchParams): UsersFilter {
  const query = (params.get('q') ?? '').trim().slice(0, SEARCH_MAX).trim();
  const banned = params.get('banned');
  return { query, bannedOnly: banned === '1' || banned === 'true' || banned === 'on' };
}

/** The search part of the address for a filter: `?q=ana&banned=1`, or '' for everything. */
export function usersSearch(filter: UsersFilter): string {
  const params = new URLSearchParams();
  if (filter.query) params.set('q', filter.query);
  if (filter.bannedOnly) params.set('banned', '1');
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The `admin.users` input for a filter and, after the first page, the last username seen. */
export function usersInput(
  filter: UsersFilter,
  cursor: string | null = null,
): RouterInputs['admin']['users'] {
  return {
    ...(filter.query ? { query: filter.query } : {}),
    banned: filter.bannedOnly,
    ...(cursor ? { cursor } : {}),
    limit: USERS_PAGE_SIZE,
  };
}

/**
 * The ban step staff may take on a row: only admins ban and unban, and never themselves or another admin
 * (the API refuses both, so offering the button would only lead to an error).
 */
export function banActionFor(
  user: Pick<AdminUser, 'id' | 'role' | 'bannedAt'>,
  staff: Pick<Viewer, 'id' | 'role'>,
): BanAction | null {
  if (staff.role !== 'admin' || user.id === staff.id) return null;
  if (user.bannedAt) return 'unban';
  return user.role === 'admin' ? null : 'ban';
}

/** What is wrong with a typed reason, in the API's words, or null when it will be accepted. */
export function checkBanReason(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length < BAN_REASON_MIN) return `Give a reason of at least ${BAN_REASON_MIN} characters.`;
  if (trimmed.length > BAN_REASON_MAX) return `Keep the reason under ${BAN_REASON_MAX} characters.`;
  return null;
}

/** The row as it is after the API accepted a ban or an unban, without reloading the list. */
export function afterBanChange(user: AdminUser, action: BanAction, reason: string, now: Date): AdminUser {
  return action === 'ban'
    ? { ...user, bannedAt: now, banReason: reason.trim() }
    : { ...user, bannedAt: null, banReason: null };
}

/** What the toast says after a ban or an unban went through. */
export function banDone(action: BanAction, username: string): string {
  return action === 'ban'
    ? `Banned @${username}. Their sessions have ended and they cannot sign in.`
    : `Lifted the ban on @${username}. They can sign in again.`;
}
