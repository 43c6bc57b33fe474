import type { User, UserRole } from '@app/db/schema';

/** Who is looking: null for a visitor who is not signed in. */
export type Viewer = Pick<User, 'id' | 'role' | 'displayName' | 'ageVerifiedAt' | 'bannedAt'> | null;

/** Who is acting: the signed-in user's id and platform role. */
export type Actor = { id: string; role: UserRole };

/** Platform staff may moderate every channel. */
export const isStaff = (role: UserRole) => role === 'admin' || role === 'moderator';
