import { sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../client.ts';
import { regions } from '../schema/index.ts';
import type { UserRole } from '../schema/users.ts';
import { DEMO_USERS, DEV_PASSWORDS } from './data/users.ts';
import { insertCategories, insertRegions, insertTokenPackages } from './insert-catalog.ts';
import { insertGrants } from './insert-ledger.ts';
import { insertRooms } from './insert-rooms.ts';
import { insertStreams } from './insert-streams.ts';
import { insertFollows, insertUserLevels, insertUsers, type PasswordHashes } from './insert-users.ts';

/** The catalogue alone (regions, categories), for benchmarks that build their own people on it. */
export { insertCategories, insertRegions } from './insert-catalog.ts';
/** The grey levels' thresholds the demo users' levels use (core's level curve keeps them equal). */
export { SEED_GREY_XP } from './insert-users.ts';

export type SeedCounts = {
  continents: number;
  countries: number;
  cities: number;
  categories: number;
  tokenPackages: number;
  users: number;
  userLevels: number;
  streams: number;
  liveStreams: number;
  follows: number;
  /** Viewers the platform granted demo tokens. */
  grants: number;
  chatMessages: number;
  tips: number;
  goals: number;
};

export type DevLogin = { username: string; password: string; role: UserRole; banned: boolean };

export type SeedSummary =
  | { seeded: true; counts: SeedCounts; credentials: DevLogin[]; elapsedMs: number }
  | { seeded: false; reason: string; credentials: DevLogin[] };

export type SeedOptions = { log?: (line: string) => void };

/** Any fixed key will do: it only stops two seeds that start at the same moment from both inserting. */
const SEED_LOCK_KEY = 0x4c756d656e;
const ALREADY_SEEDED = 'The database already has regions, so it was seeded before; nothing was changed.';

/**
 * Fills an empty database with the demo geography, catalog, users, streams and follows, and leaves some streams
 * live with chat, tips and a goal, all in one transaction. Idempotent: once regions exist it does nothing, so the
 * server may call it on every start. The demo viewers' tokens are real ledger grants from the platform's
 * `promotions` account and their tips real tips, so the ledger balances as it would in use.
 */
export async function seedDatabase(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  const startedAt = performance.now();
  const credentials = devLogins();
  // Checked before hashing as well as under the lock: argon2 is slow and most calls find a seeded database.
  if (await hasRegions(db)) return skipped(log, credentials);

  const passwordHashes = await hashDevPasswords();
  const counts = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`);
    if (await hasRegions(tx)) return null;
    return insertAll(tx, new Date(), passwordHashes);
  });
  if (!counts) return skipped(log, credentials);

  const elapsedMs = Math.round(performance.now() - startedAt);
  log(`Seeded ${describeCounts(counts)} in ${elapsedMs} ms.`);
  for (const line of formatDevLogins(credentials)) log(line);
  return { seeded: true, counts, credentials, elapsedMs };
}

async function insertAll(tx: Transaction, now: Date, passwordHashes: PasswordHashes): Promise<SeedCounts> {
  const { counts: regionCounts, cityIds } = await insertRegions(tx);
  const categoryIds = await insertCategories(tx);
  const tokenPackages = await insertTokenPackages(tx);
  const userIds = await insertUsers(tx, now, cityIds, passwordHashes);
  const userLevels = await insertUserLevels(tx, now, userIds);
  const streams = await insertStreams(tx, now, userIds, categoryIds);
  const follows = await insertFollows(tx, now, userIds);
  const wallets = await insertGrants(tx, userIds);
  const rooms = await insertRooms(tx, now, userIds, streams.live, wallets);
  return {
    ...regionCounts,
    categories: categoryIds.size,
    tokenPackages,
    users: userIds.size,
    userLevels,
    streams: streams.count,
    liveStreams: streams.live.size,
    follows,
    grants: wallets.size,
    ...rooms,
  };
}

async function hasRegions(executor: Executor): Promise<boolean> {
  const rows = await executor.select({ id: regions.id }).from(regions).limit(1);
  return rows.length > 0;
}

function skipped(log: (line: string) => void, credentials: DevLogin[]): SeedSummary {
  log(`Seed skipped: ${ALREADY_SEEDED}`);
  return { seeded: false, reason: ALREADY_SEEDED, credentials };
}

/** One argon2id hash per role rather than per user: hashing is deliberately slow. */
async function hashDevPasswords(): Promise<PasswordHashes> {
  const [admin, moderator, streamer, viewer] = await Promise.all([
    Bun.password.hash(DEV_PASSWORDS.admin),
    Bun.password.hash(DEV_PASSWORDS.moderator),
    Bun.password.hash(DEV_PASSWORDS.streamer),
    Bun.password.hash(DEV_PASSWORDS.viewer),
  ]);
  return { admin, moderator, streamer, viewer };
}

function devLogins(): DevLogin[] {
  return DEMO_USERS.map((user) => ({
    username: user.username,
    password: DEV_PASSWORDS[user.role],
    role: user.role,
    banned: user.ban !== undefined,
  }));
}

function describeCounts(counts: SeedCounts): string {
  return [
    `${counts.continents} continents`,
    `${counts.countries} countries`,
    `${counts.cities} cities`,
    `${counts.categories} categories`,
    `${counts.tokenPackages} token packages`,
    `${counts.users} users`,
    `${counts.streams} streams (${counts.liveStreams} live)`,
    `${counts.follows} follows`,
    `${counts.grants} token grants`,
    `${counts.chatMessages} chat lines`,
    `${counts.tips} tips`,
  ].join(', ');
}

/** The dev logins as aligned text lines, for a terminal. */
export function formatDevLogins(credentials: readonly DevLogin[]): string[] {
  const rows = [
    ['username', 'role', 'password', ''],
    ...credentials.map((login) => [login.username, login.role, login.password, login.banned ? 'banned' : '']),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return [
    'Dev logins (local development only; each email is <username>@example.com):',
    ...rows.map((row) =>
      `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd(),
    ),
  ];
}
