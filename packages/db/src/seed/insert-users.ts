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
 * Level from xp: level n starts at 50·(n−1)² xp (0, 50, 200, 450, …). The core package owns the real curve;
 * this one only has to give the demo users believable, ordered levels.
 */
export function levelForXp(xp: number): number {
  return Math.floor(Math.sqrt(xp / 50)) + 1;
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
        xp: user.xp,
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
