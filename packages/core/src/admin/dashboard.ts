import {
  categories,
  ledgerAccounts,
  ledgerBalances,
  moderationLogs,
  regions,
  streams,
  tokenPackages,
  users,
} from '@app/db/schema';
import { count, eq, gte, inArray, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';

export type Dashboard = {
  users: {
    total: number;
    viewers: number;
    streamers: number;
    moderators: number;
    admins: number;
    banned: number;
    ageVerified: number;
    newToday: number;
  };
  streams: { total: number; live: number };
  categories: number;
  regions: { continents: number; countries: number; cities: number };
  tokens: { packages: number; circulating: number };
  moderation: { actionsToday: number };
};

const n = (value: unknown) => Number(value ?? 0);

/** Platform counts for the admin home page, read in one round of parallel queries. */
export async function adminDashboard(deps: CoreDeps): Promise<Dashboard> {
  const { db } = deps;
  const startOfDay = new Date(deps.clock.now());
  startOfDay.setUTCHours(0, 0, 0, 0);
  const [userRows, streamRows, categoryRows, regionRows, packageRows, tokenRows, moderationRows] =
    await Promise.all([
      db
        .select({
          total: count(),
          viewers: sql<number>`count(*) filter (where ${users.role} = 'viewer')`,
          streamers: sql<number>`count(*) filter (where ${users.role} = 'streamer')`,
          moderators: sql<number>`count(*) filter (where ${users.role} = 'moderator')`,
          admins: sql<number>`count(*) filter (where ${users.role} = 'admin')`,
          banned: sql<number>`count(*) filter (where ${users.bannedAt} is not null)`,
          ageVerified: sql<number>`count(*) filter (where ${users.ageVerifiedAt} is not null)`,
          newToday: sql<number>`count(*) filter (where ${users.createdAt} >= ${startOfDay.toISOString()})`,
        })
        .from(users),
      db
        .select({ total: count(), live: sql<number>`count(*) filter (where ${streams.status} = 'live')` })
        .from(streams),
      db.select({ total: count() }).from(categories),
      db.select({ kind: regions.kind, total: count() }).from(regions).groupBy(regions.kind),
      db.select({ total: count() }).from(tokenPackages).where(eq(tokenPackages.active, true)),
      db
        .select({ total: sql<number>`coalesce(sum(${ledgerBalances.balance}), 0)` })
        .from(ledgerBalances)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerBalances.accountId))
        .where(inArray(ledgerAccounts.kind, ['wallet', 'earnings'])),
      db.select({ total: count() }).from(moderationLogs).where(gte(moderationLogs.createdAt, startOfDay)),
    ]);
  const u = userRows[0]!;
  const byKind = new Map(regionRows.map((row) => [row.kind, n(row.total)]));
  return {
    users: {
      total: n(u.total),
      viewers: n(u.viewers),
      streamers: n(u.streamers),
      moderators: n(u.moderators),
      admins: n(u.admins),
      banned: n(u.banned),
      ageVerified: n(u.ageVerified),
      newToday: n(u.newToday),
    },
    streams: { total: n(streamRows[0]?.total), live: n(streamRows[0]?.live) },
    categories: n(categoryRows[0]?.total),
    regions: {
      continents: byKind.get('continent') ?? 0,
      countries: byKind.get('country') ?? 0,
      cities: byKind.get('city') ?? 0,
    },
    tokens: { packages: n(packageRows[0]?.total), circulating: n(tokenRows[0]?.total) },
    moderation: { actionsToday: n(moderationRows[0]?.total) },
  };
}
