import type { Executor } from '@app/db/client';
import { regions, streams, type User, userFollows, userLevels, users } from '@app/db/schema';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { notFound } from '../kernel/errors.ts';
import { builtOnce } from '../kernel/prepared.ts';

export type RegionRef = { id: number; name: string; path: string };

/** The signed-in user's own view of their account. */
export type Me = {
  id: string;
  username: string;
  email: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  role: User['role'];
  dateOfBirth: string;
  ageVerifiedAt: Date | null;
  regionId: number | null;
  region: RegionRef | null;
  createdAt: Date;
  streamerSince: Date | null;
  level: number;
  xp: number;
};

/** What anyone may see of a user. */
export type PublicUser = {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  role: User['role'];
  region: RegionRef | null;
  createdAt: Date;
  level: number;
  followerCount: number;
  isLive: boolean;
  /** The stream they are live on now, if any. */
  liveStreamId: string | null;
};

const parent = alias(regions, 'parent_region');
const grandparent = alias(regions, 'grandparent_region');

/** Region refs with their "Continent › Country › City" path, by id. */
export async function regionRefs(db: Executor, ids: number[]): Promise<Map<number, RegionRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: regions.id, name: regions.name, parent: parent.name, grandparent: grandparent.name })
    .from(regions)
    .leftJoin(parent, eq(parent.id, regions.parentId))
    .leftJoin(grandparent, eq(grandparent.id, parent.parentId))
    .where(inArray(regions.id, unique));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        name: row.name,
        path: [row.grandparent, row.parent, row.name].filter(Boolean).join(' › '),
      },
    ]),
  );
}

/** Every page load of a signed-in user reads this (`auth.me`): built once per database. */
const meLookup = builtOnce((db) =>
  db
    .select({ user: users, xp: userLevels.xp, level: userLevels.level })
    .from(users)
    .leftJoin(userLevels, eq(userLevels.userId, users.id))
    .where(eq(users.id, sql.placeholder('userId')))
    .limit(1)
    .prepare('load_me'),
);

export async function loadMe(db: Executor, userId: string): Promise<Me> {
  const [row] = await meLookup(db).execute({ userId });
  if (!row) throw notFound('That user');
  const { user } = row;
  const region = user.regionId ? ((await regionRefs(db, [user.regionId])).get(user.regionId) ?? null) : null;
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    role: user.role,
    dateOfBirth: user.dateOfBirth,
    ageVerifiedAt: user.ageVerifiedAt,
    regionId: user.regionId,
    region,
    createdAt: user.createdAt,
    streamerSince: user.streamerSince,
    level: row.level ?? 1,
    xp: row.xp ?? 0,
  };
}

/** Public views of the given users, in the order given; banned users are left out. */
export async function loadPublicUsers(db: Executor, userIds: string[]): Promise<PublicUser[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ user: users, level: userLevels.level })
    .from(users)
    .leftJoin(userLevels, eq(userLevels.userId, users.id))
    .where(inArray(users.id, userIds));
  const visible = rows.filter((row) => !row.user.bannedAt);
  const ids = visible.map((row) => row.user.id);
  if (ids.length === 0) return [];
  const [followers, live, regionMap] = await Promise.all([
    db
      .select({ id: userFollows.followeeId, n: count() })
      .from(userFollows)
      .where(inArray(userFollows.followeeId, ids))
      .groupBy(userFollows.followeeId),
    db
      .select({ id: streams.streamerId, streamId: streams.id })
      .from(streams)
      .where(and(inArray(streams.streamerId, ids), eq(streams.status, 'live'))),
    regionRefs(
      db,
      visible.flatMap((row) => (row.user.regionId ? [row.user.regionId] : [])),
    ),
  ]);
  const followerCount = new Map(followers.map((row) => [row.id, Number(row.n)]));
  const liveStreams = new Map(live.map((row) => [row.id, row.streamId]));
  const byId = new Map(
    visible.map(({ user, level }) => [
      user.id,
      {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        bio: user.bio,
        avatarUrl: user.avatarUrl,
        role: user.role,
        region: user.regionId ? (regionMap.get(user.regionId) ?? null) : null,
        createdAt: user.createdAt,
        level: level ?? 1,
        followerCount: followerCount.get(user.id) ?? 0,
        isLive: liveStreams.has(user.id),
        liveStreamId: liveStreams.get(user.id) ?? null,
      } satisfies PublicUser,
    ]),
  );
  return userIds.flatMap((id) => {
    const view = byId.get(id);
    return view ? [view] : [];
  });
}
