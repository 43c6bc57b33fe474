import { regions, users } from '@app/db/schema';
import { and, asc, eq, gt, ilike, isNull, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { announceReadsChanged } from '../events/reads.ts';
import { screenText } from '../filters/screen.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { invalid, notFound } from '../kernel/errors.ts';
import {
  containsPattern,
  SEARCH_COUNT_ROWS,
  type SearchCount,
  searchCount,
  searchQuerySchema,
} from '../kernel/search.ts';
import { plainText } from '../kernel/text.ts';
import { isStaff } from '../kernel/viewer.ts';
import { LIMITS, usernameCursorSchema } from './schemas.ts';
import { imitatesStaff } from './staff-names.ts';
import { loadMe, loadPublicUsers, type Me, type PublicUser } from './user-views.ts';

export const updateProfileInput = z.object({
  /** A name others must read as written: direction overrides are refused, not removed. */
  displayName: plainText({
    label: 'Display name',
    min: 1,
    max: LIMITS.displayNameMax,
    bidi: 'refuse',
  }).optional(),
  bio: plainText({ label: 'Bio', max: LIMITS.bioMax, multiline: true }).optional(),
  avatarUrl: z
    .url({ protocol: /^https$/, error: 'Avatar URL must be a web address starting with https://.' })
    .max(LIMITS.urlMax, 'Avatar URL is too long.')
    .nullable()
    .optional(),
  regionId: z.number().int().positive().nullable().optional(),
});
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;

export async function updateProfile(deps: CoreDeps, userId: string, input: UpdateProfileInput): Promise<Me> {
  if (input.regionId != null) {
    const [region] = await deps.db
      .select({ id: regions.id })
      .from(regions)
      .where(eq(regions.id, input.regionId));
    if (!region) throw invalid('regionId', 'Choose a region from the list.');
  }
  if (input.displayName !== undefined) await checkDisplayName(deps, userId, input.displayName);
  // A bio is on the profile page, in no room: the platform's word filters read it.
  const bio =
    input.bio === undefined
      ? undefined
      : await screenText(deps, 'platform', input.bio, { field: 'bio', what: 'Your bio' });
  const changes = Object.fromEntries(
    Object.entries({ ...input, bio }).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(changes).length > 0) {
    await deps.db.update(users).set(changes).where(eq(users.id, userId));
    // Their name and avatar on stream cards and board tops.
    if (input.displayName !== undefined || input.avatarUrl !== undefined) {
      await announceReadsChanged(deps, ['streams', 'boards']);
    }
  }
  return loadMe(deps.db, userId);
}

/**
 * A display name that reads as staff's is refused unless the account is staff; a name the account already has is
 * left alone, so an older name does not block editing the rest of the profile.
 */
async function checkDisplayName(deps: CoreDeps, userId: string, displayName: string): Promise<void> {
  const [user] = await deps.db
    .select({ role: users.role, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || isStaff(user.role) || user.displayName === displayName || !imitatesStaff(displayName)) return;
  throw invalid('displayName', 'That display name reads as Lumen staff; choose another.');
}

export async function userById(deps: CoreDeps, id: string): Promise<PublicUser> {
  const [view] = await loadPublicUsers(deps.db, [id]);
  if (!view) throw notFound('That user');
  return view;
}

export async function userByUsername(deps: CoreDeps, username: string): Promise<PublicUser> {
  const [row] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.username, username.toLowerCase()));
  if (!row) throw notFound(`The user “${username}”`);
  return userById(deps, row.id);
}

export const searchUsersInput = z.object({
  query: searchQuerySchema,
  limit: z.number().int().min(1).max(50).default(20),
  /** The last username of the previous page. */
  cursor: usernameCursorSchema,
});
export type SearchUsersInput = z.infer<typeof searchUsersInput>;

/** Who a search finds: not banned, and the query in their username or display name. */
function userMatches(query: string): SQL | undefined {
  const pattern = containsPattern(query);
  return and(isNull(users.bannedAt), or(ilike(users.username, pattern), ilike(users.displayName, pattern)));
}

/** Up to `take` matching users by username, after the cursor's. */
function matchingUsers(deps: CoreDeps, input: SearchUsersInput, take: number) {
  return deps.db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(userMatches(input.query), input.cursor ? gt(users.username, input.cursor) : undefined))
    .orderBy(asc(users.username))
    .limit(take);
}

/** Users whose username or display name contains the query, by username; banned users are hidden. */
export async function searchUsers(deps: CoreDeps, input: SearchUsersInput): Promise<UserSearchPage> {
  return toUserPage(deps, input.limit, await matchingUsers(deps, input, input.limit + 1));
}

/** The first page of `searchUsers`, with how many users match in all (up to the cap), from one read. */
export async function searchUsersCounted(
  deps: CoreDeps,
  input: Omit<SearchUsersInput, 'cursor'>,
): Promise<UserSearchPage & { total: SearchCount }> {
  const rows = await matchingUsers(deps, input, Math.max(SEARCH_COUNT_ROWS, input.limit + 1));
  return { ...(await toUserPage(deps, input.limit, rows)), total: searchCount(rows.length) };
}

export type UserSearchPage = { items: PublicUser[]; nextCursor: string | null };

async function toUserPage(
  deps: CoreDeps,
  limit: number,
  rows: { id: string; username: string }[],
): Promise<UserSearchPage> {
  const page = rows.slice(0, limit);
  return {
    items: await loadPublicUsers(
      deps.db,
      page.map((row) => row.id),
    ),
    nextCursor: rows.length > limit ? (page.at(-1)?.username ?? null) : null,
  };
}
