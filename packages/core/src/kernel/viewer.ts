import type { User, UserRole } from '@app/db/schema';

/** Who is looking: null for a visitor who is not signed in. */
export type Viewer = Pick<User, 'id' | 'role' | 'displayName' | 'ageVerifiedAt' | 'bannedAt'> | null;

/** Who is acting: the signed-in user's id and platform role. */
export type Actor = { id: string; role: UserRole };

/** Platform staff may moderate every channel. */
export const isStaff = (role: UserRole) => role === 'admin' || role === 'moderator';

/**
 * What of the viewer changes a public listing: whether they are signed in (gated adult tiles ask a visitor to sign
 * in, a member to verify their age) and whether they are age-verified (adult streams are listed for them). Shared
 * answers are keyed by this, never by who the viewer is.
 */
export type Audience = 'visitor' | 'member' | 'adult';

export function audienceOf(viewer: Viewer): Audience {
  if (!viewer) return 'visitor';
  return viewer.ageVerifiedAt ? 'adult' : 'member';
}
