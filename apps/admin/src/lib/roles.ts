import type { RouterOutputs } from '@app/api';

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type Role = Me['role'];

/** What every page of the admin app may show about the signed-in account — nothing more leaves the server. */
export type Viewer = Pick<Me, 'id' | 'username' | 'displayName' | 'avatarUrl' | 'role'>;

const STAFF_ROLES: ReadonlySet<Role> = new Set<Role>(['moderator', 'admin']);

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  streamer: 'Streamer',
  moderator: 'Moderator',
  admin: 'Admin',
};

export function isStaffRole(role: Role): boolean {
  return STAFF_ROLES.has(role);
}

export function toViewer(me: Me): Viewer {
  return {
    id: me.id,
    username: me.username,
    displayName: me.displayName,
    avatarUrl: me.avatarUrl,
    role: me.role,
  };
}
