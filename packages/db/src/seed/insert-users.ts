import type { Transaction } from '../client.ts';
import { userFollows, userLevels, users } from '../schema/index.ts';
import type { UserRole } from '../schema/users.ts';
import { DEMO_USERS } from './data/users.ts';
import { type CityIds, cityKey, lookup } from './insert-catalog.ts';

/** Inserted demo users by username: their id and home city. */
export type UserIds = ReadonlyMap<string, { id: string; regionId: number | null }>;
export type PasswordHashes = Readonly<Record<UserRole, string>>;

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Activity XP of the grey levels 1–9: a copy of core's `GREY_XP` (gamification/levels.ts; a core test keeps the two
 * equal). A demo user's xp is taken as activity XP, so their level is what core computes until the projector reads
 * their tips and purchases from the seeded ledger.
 */
export const SEED_GREY_XP: readonly number[] = [0, 10, 25, 50, 90, 140, 200, 270, 350];

/** A demo user's activity XP (activity never counts past the level-9 threshold). */
export function activityXpFor(xp: number): number {
  return Math.min(Math.max(0, xp), SEED_GREY_XP[SEED_GREY_XP.length - 1]!);
}

/** The grey level of an activity XP figure. */
export function levelForXp(xp: number): number {
  const activity = activityXpFor(xp);
  return Math.max(1, SEED_GREY_XP.filter((threshold) => threshold <= activity).length);
}

export async function insertUsers(
  tx: Transaction,
  now: Date,
  cityIds: CityIds,
  passwordHashes: PasswordHashes,
): Promise<UserIds> {
  const rows = await tx
    .insert(users)
    .values(
      DEMO_USERS.map((user) => {
        const joinedAt = daysBefore(now, user.joinedDaysAgo);
        return {
          username: user.username,
          email: `${user.username}@example.com`,
          passwordHash: passwordHashes[user.role],
          displayName: user.displayName,
          bio: user.bio,
          role: user.role,
          dateOfBirth: user.dateOfBirth,
          ageVerifiedAt: user.ageVerified ? new Date(joinedAt.getTime() + 10 * 60 * 1000) : null,
          regionId: lookup(cityIds, cityKey(user.city.country, user.city.city), 'city'),
          streamerSince: user.streamer ? daysBefore(now, user.streamer.sinceDaysAgo) : null,
          streamerPitch: user.streamer?.pitch ?? null,
          bannedAt: user.ban ? daysBefore(now, user.ban.daysAgo) : null,
          banReason: user.ban?.reason ?? null,
          createdAt: joinedAt,
        };
      }),
    )
    .returning({ id: users.id, username: users.username, regionId: users.regionId });
  return new Map(rows.map((row) => [row.username, { id: row.id, regionId: row.regionId }]));
}

export async function insertUserLevels(tx: Transaction, now: Date, userIds: UserIds): Promise<number> {
  const rows = await tx
    .insert(userLevels)
    .values(
      DEMO_USERS.map((user) => ({
        userId: lookup(userIds, user.username, 'user').id,
        xp: activityXpFor(user.xp),
        activityXp: activityXpFor(user.xp),
        level: levelForXp(user.xp),
        updatedAt: now,
      })),
    )
    .returning({ userId: userLevels.userId });
  return rows.length;
}

/** Each follow dates from halfway through the newer account's life, so it never predates either user. */
export async function insertFollows(tx: Transaction, now: Date, userIds: UserIds): Promise<number> {
  const joinedDaysAgo = new Map(DEMO_USERS.map((user) => [user.username, user.joinedDaysAgo]));
  const values = DEMO_USERS.flatMap((user) =>
    (user.follows ?? []).map((followee) => ({
      followerId: lookup(userIds, user.username, 'user').id,
      followeeId: lookup(userIds, followee, 'user').id,
      createdAt: daysBefore(now, Math.min(user.joinedDaysAgo, lookup(joinedDaysAgo, followee, 'user')) / 2),
    })),
  );
  if (values.length === 0) return 0;
  const rows = await tx.insert(userFollows).values(values).returning({ followerId: userFollows.followerId });
  return rows.length;
}
