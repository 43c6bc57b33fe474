import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { ledgerAccounts, ledgerBalances } from '../schema/economy.ts';
import { type StreamSettings, streams } from '../schema/streams.ts';
import { users } from '../schema/users.ts';

/** Rows for the engine's tests, written with plain inserts so that each test states only what it is about. */

export type UserOptions = {
  role?: 'viewer' | 'streamer' | 'moderator' | 'admin';
  ageVerified?: boolean;
  banned?: boolean;
};

export async function insertUser(db: Database, options: UserOptions = {}): Promise<string> {
  const username = `u${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const [row] = await db
    .insert(users)
    .values({
      username,
      email: `${username}@example.com`,
      passwordHash: 'x',
      displayName: username.toUpperCase(),
      role: options.role ?? 'viewer',
      dateOfBirth: '1990-01-01',
      ageVerifiedAt: options.ageVerified ? new Date('2026-01-01T00:00:00Z') : null,
      bannedAt: options.banned ? new Date('2026-01-01T00:00:00Z') : null,
    })
    .returning({ id: users.id });
  return row!.id;
}

export async function insertStream(
  db: Database,
  streamerId: string,
  options: { status?: 'draft' | 'live' | 'ended'; settings?: StreamSettings } = {},
): Promise<string> {
  const [row] = await db
    .insert(streams)
    .values({
      streamerId,
      title: 'A stream',
      status: options.status ?? 'live',
      settings: options.settings ?? {},
      livekitRoom: crypto.randomUUID(),
    })
    .returning({ id: streams.id });
  return row!.id;
}

export type TestAccount = { id: number; shardCount: number };

/** An account with `balance` tokens on its first balance row (a user account never goes below zero). */
export async function insertAccount(
  db: Database,
  kind: 'wallet' | 'earnings' | 'issuance',
  userId: string | null,
  options: { shardCount?: number; balance?: number; frozen?: boolean } = {},
): Promise<TestAccount> {
  const shardCount = options.shardCount ?? 1;
  const [row] = await db
    .insert(ledgerAccounts)
    .values({ kind, userId, shardCount, frozenAt: options.frozen ? new Date('2026-01-01T00:00:00Z') : null })
    .returning({ id: ledgerAccounts.id });
  const nonNegative = kind !== 'issuance';
  await db.insert(ledgerBalances).values(
    Array.from({ length: shardCount }, (_, shard) => ({
      accountId: row!.id,
      shard,
      balance: shard === 0 ? (options.balance ?? 0) : 0,
      nonNegative,
    })),
  );
  return { id: row!.id, shardCount };
}

/** An account's balance: the sum of its rows. */
export async function balanceOf(db: Database, accountId: number): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${ledgerBalances.balance}), 0)` })
    .from(ledgerBalances)
    .where(sql`${ledgerBalances.accountId} = ${accountId}`);
  return Number(row?.total ?? 0);
}
