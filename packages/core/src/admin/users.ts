import { users } from '@app/db/schema';
import { and, asc, gt, ilike, isNotNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { LIMITS, usernameCursorSchema } from '../identity/schemas.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { containsPattern } from '../kernel/search.ts';
import { plainText } from '../kernel/text.ts';

export const adminUsersInput = z.object({
  query: plainText({
    label: 'The search',
    max: LIMITS.searchMax,
    messages: { tooLong: 'That search is too long.' },
  }).optional(),
  /** Only banned accounts. */
  banned: z.boolean().default(false),
  /** The last username of the previous page. */
  cursor: usernameCursorSchema,
  limit: z.number().int().min(1).max(100).default(50),
});
export type AdminUsersInput = z.infer<typeof adminUsersInput>;

/** Staff's user list: every account (banned ones included) by username, with role and ban state. */
export async function adminUserList(deps: CoreDeps, input: AdminUsersInput) {
  const pattern = input.query ? containsPattern(input.query) : null;
  const rows = await deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      avatarUrl: users.avatarUrl,
      bannedAt: users.bannedAt,
      banReason: users.banReason,
      createdAt: users.createdAt,
      lastLoginAt: users.lastLoginAt,
    })
    .from(users)
    .where(
      and(
        pattern
          ? or(ilike(users.username, pattern), ilike(users.displayName, pattern), ilike(users.email, pattern))
          : sql`true`,
        input.banned ? isNotNull(users.bannedAt) : sql`true`,
        input.cursor ? gt(users.username, input.cursor) : sql`true`,
      ),
    )
    .orderBy(asc(users.username))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.username ?? null) : null };
}
