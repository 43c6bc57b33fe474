import { STAFF_LIMITS } from '@app/api/client';
import type { Viewer } from '#lib/roles.ts';
import type { AdminUser } from './users.ts';

/** The API's bounds for a token grant. */
export const GRANT_TOKENS_MAX = STAFF_LIMITS.grantTokensMax;
export const GRANT_REASON_MIN = STAFF_LIMITS.grantReasonMin;
export const GRANT_REASON_MAX = STAFF_LIMITS.grantReasonMax;

/**
 * Whether staff may grant this account tokens: only admins touch money, never for themselves, never for a banned
 * account (the API refuses each, so offering the button would only lead to an error).
 */
export function canGrant(
  user: Pick<AdminUser, 'id' | 'bannedAt'>,
  staff: Pick<Viewer, 'id' | 'role'>,
): boolean {
  return staff.role === 'admin' && user.id !== staff.id && !user.bannedAt;
}

export type GrantProblems = { amount: string | null; reason: string | null };

/** What is wrong with a typed amount and reason, in the API's words; both null when it will be accepted. */
export function checkGrant(amount: string, reason: string): GrantProblems {
  return { amount: checkAmount(amount), reason: checkReason(reason) };
}

function checkAmount(amount: string): string | null {
  const tokens = Number(amount.trim());
  if (amount.trim() === '' || Number.isNaN(tokens)) return 'Enter the number of tokens to grant.';
  if (!Number.isInteger(tokens)) return 'Grants are whole tokens.';
  if (tokens < 1) return 'Grant at least 1 token.';
  if (tokens > GRANT_TOKENS_MAX) {
    return `A single grant can be at most ${GRANT_TOKENS_MAX.toLocaleString('en-US')} tokens.`;
  }
  return null;
}

function checkReason(reason: string): string | null {
  const length = reason.trim().length;
  if (length === 0) return 'Say why these tokens are granted (it is written to the moderation log).';
  if (length < GRANT_REASON_MIN) {
    return `Say why these tokens are granted (at least ${GRANT_REASON_MIN} characters).`;
  }
  if (length > GRANT_REASON_MAX) return `Keep the reason under ${GRANT_REASON_MAX} characters.`;
  return null;
}

/** What the toast says once the grant went through. */
export function grantDone(
  username: string,
  result: { amountTokens: number; walletTokens: number | null; replayed: boolean },
): string {
  const amount = result.amountTokens.toLocaleString('en-US');
  if (result.replayed)
    return `These ${amount} tokens were already granted to @${username}; nothing more was sent.`;
  const wallet =
    result.walletTokens === null
      ? ''
      : ` Their wallet now holds ${result.walletTokens.toLocaleString('en-US')}.`;
  return `Granted ${amount} tokens to @${username}.${wallet}`;
}
