import type { Database } from '@app/db/client';
import { ledgerAccounts, ledgerBalances } from '@app/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';

export type UserAccountKind = 'wallet' | 'earnings' | 'debt';
export type SystemAccountKind = 'issuance' | 'bonus' | 'payouts' | 'chargebacks' | 'promotions';
export type AccountRef = { id: number; shardCount: number; nonNegative: boolean };

/** Accounts are never deleted, so their ids can be remembered per database. */
const known = new WeakMap<object, Map<string, AccountRef>>();

function cacheFor(db: object): Map<string, AccountRef> {
  let cache = known.get(db);
  if (!cache) {
    cache = new Map();
    known.set(db, cache);
  }
  return cache;
}

/**
 * The account of `kind` for a user (or the platform when `userId` is null), created with its balance rows on
 * first use. Wallets and debts have one balance row; earnings and platform accounts `hotShards` rows. Called
 * outside money transactions (it commits on its own), so a rolled-back transaction never leaves a cached id
 * that does not exist.
 */
export async function accountFor(
  db: Database,
  kind: UserAccountKind | SystemAccountKind,
  userId: string | null,
  hotShards: number,
): Promise<AccountRef> {
  const cache = cacheFor(db);
  const key = `${kind}:${userId ?? 'platform'}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const shardCount = kind === 'wallet' || kind === 'debt' ? 1 : hotShards;
  const nonNegative = kind === 'wallet' || kind === 'earnings';
  const owner = userId ? eq(ledgerAccounts.userId, userId) : isNull(ledgerAccounts.userId);
  // Most accounts exist already (a wallet is made when it is first funded): one read, instead of the three
  // statements that make one, is what a tip from a user this process has not seen yet costs.
  const [existing] = await db
    .select({
      id: ledgerAccounts.id,
      shardCount: ledgerAccounts.shardCount,
      balanceRows: sql<number>`(select count(*)::int from ${ledgerBalances} b where b.account_id = ${ledgerAccounts.id})`,
    })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, kind), owner));
  if (existing && Number(existing.balanceRows) === existing.shardCount) {
    const ref = { id: existing.id, shardCount: existing.shardCount, nonNegative };
    cache.set(key, ref);
    return ref;
  }
  await db.insert(ledgerAccounts).values({ kind, userId, shardCount }).onConflictDoNothing();
  const [row] = await db
    .select({ id: ledgerAccounts.id, shardCount: ledgerAccounts.shardCount })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, kind), owner));
  const ref = { id: row!.id, shardCount: row!.shardCount, nonNegative };
  await db.execute(sql`
    insert into ${ledgerBalances} (account_id, shard, balance, non_negative)
    select ${ref.id}::bigint, s, 0, ${nonNegative} from generate_series(0, ${ref.shardCount - 1}) as s
    on conflict do nothing`);
  cache.set(key, ref);
  return ref;
}
