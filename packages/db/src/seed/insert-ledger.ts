import { sql } from 'drizzle-orm';
import type { Transaction } from '../client.ts';
import { ledgerPost } from '../engine/index.ts';
import { ledgerAccounts, ledgerBalances, moderationLogs } from '../schema/index.ts';
import { DEMO_GRANT_REASON, DEMO_GRANT_TOKENS } from './data/live-streams.ts';
import { DEMO_USERS } from './data/users.ts';
import { lookup } from './insert-catalog.ts';
import type { UserIds } from './insert-users.ts';

/** Balance rows of a hot account, as core opens them (`economy.hotAccountShards` by default). */
const HOT_ACCOUNT_SHARDS = 16;

export type SeedAccount = { id: number; shardCount: number };

/** Opens a ledger account with its zeroed balance rows, the way core's `accountFor` does. */
export async function openAccount(
  tx: Transaction,
  kind: 'wallet' | 'earnings' | 'promotions',
  userId: string | null,
): Promise<SeedAccount> {
  const shardCount = kind === 'wallet' ? 1 : HOT_ACCOUNT_SHARDS;
  const [row] = await tx
    .insert(ledgerAccounts)
    .values({ kind, userId, shardCount })
    .returning({ id: ledgerAccounts.id });
  await tx.execute(sql`
    insert into ${ledgerBalances} (account_id, shard, balance, non_negative)
    select ${row!.id}::bigint, s, 0, ${kind !== 'promotions'} from generate_series(0, ${shardCount - 1}) as s`);
  return { id: row!.id, shardCount };
}

/** SHA-256 (hex) of a request, stored with its idempotency key. */
export function seedRequestHash(request: unknown): string {
  return new Bun.CryptoHasher('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Every active demo viewer gets `DEMO_GRANT_TOKENS` the way an admin's grant gives them: a balanced `grant`
 * from the platform's `promotions` account (idempotency key `seed-grant:{username}`), logged as `grant_tokens`
 * with no admin behind it. Returns the viewers' wallets by username.
 */
export async function insertGrants(tx: Transaction, userIds: UserIds): Promise<Map<string, SeedAccount>> {
  const promotions = await openAccount(tx, 'promotions', null);
  const viewers = DEMO_USERS.filter((user) => user.role === 'viewer' && !user.ban);
  const wallets = new Map<string, SeedAccount>();
  for (const viewer of viewers) {
    const userId = lookup(userIds, viewer.username, 'user').id;
    const wallet = await openAccount(tx, 'wallet', userId);
    const request = { userId, amountTokens: DEMO_GRANT_TOKENS, reason: DEMO_GRANT_REASON };
    const posted = await ledgerPost(tx, {
      kind: 'grant',
      idempotencyKey: `seed-grant:${viewer.username}`,
      requestHash: seedRequestHash(request),
      metadata: { seed: true },
      postings: [
        { accountId: promotions.id, shardCount: promotions.shardCount, amount: -DEMO_GRANT_TOKENS },
        { accountId: wallet.id, shardCount: wallet.shardCount, amount: DEMO_GRANT_TOKENS },
      ],
    });
    await tx.insert(moderationLogs).values({
      actorId: null,
      targetUserId: userId,
      action: 'grant_tokens',
      reason: DEMO_GRANT_REASON,
      metadata: { amountTokens: DEMO_GRANT_TOKENS, ledgerTransactionId: posted.transactionId },
    });
    wallets.set(viewer.username, wallet);
  }
  return wallets;
}
