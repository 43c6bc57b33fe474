import type { Transaction } from '@app/db/client';
import { ledgerAccounts, ledgerBalances, ledgerTransactions, type Purchase, tips } from '@app/db/schema';
import { and, asc, desc, eq, gt, gte, inArray, isNull } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import type { AccountRef } from './accounts.ts';
import { holdStart } from './earnings.ts';
import { postTransaction } from './ledger.ts';

// Which tips a refunded purchase funded: the platform's loss is the shortfall, what the buyer's wallet can no
// longer give back; it was tipped away after the purchase. So the buyer's tips sent since the purchase was minted
// are taken newest first until they cover the shortfall, the oldest of them only in part when it is larger than
// what is still uncovered. Newest first is first-in-first-out spending seen from the other end: tokens the buyer
// held before the purchase paid for their earlier tips, so a shortfall of S tokens is the last S tokens tipped,
// and the newest tips are the ones still pending. Only pending tips are reversed (matured ones were the
// streamer's to withdraw), and only as far as the streamer's earnings still hold them; whatever is left stays the
// buyer's debt.

/** Tips looked at per clawback: bounded so one webhook stays one short transaction. */
export const MAX_TIPS_REVERSED_PER_CLAWBACK = 2_000;

export type ReversedTip = {
  tipId: number;
  streamId: string;
  streamerId: string;
  /** What was taken back: the whole tip, or the part of it the purchase paid for. */
  amountTokens: number;
  transactionId: number;
};

type Candidate = {
  id: number;
  streamId: string;
  toUserId: string;
  amountTokens: number;
  ledgerTransactionId: number;
};

/**
 * Reverses, inside the clawback's transaction, the pending tips `purchase` funded, up to `shortfallTokens`: each
 * is a `tip_reversal` ledger transaction (earnings → the buyer's wallet, key per tip, linked to the tip's own
 * transaction) and the tip row is marked reversed. The buyer's wallet must already be locked by the caller.
 */
export async function reverseFundedTips(
  deps: CoreDeps,
  tx: Transaction,
  purchase: Purchase,
  wallet: AccountRef,
  shortfallTokens: number,
  stripeEventId: string,
): Promise<ReversedTip[]> {
  const [minted] = await tx
    .select({ createdAt: ledgerTransactions.createdAt })
    .from(ledgerTransactions)
    .where(eq(ledgerTransactions.idempotencyKey, `purchase:${purchase.id}`));
  if (!minted) return [];
  const candidates: Candidate[] = await tx
    .select({
      id: tips.id,
      streamId: tips.streamId,
      toUserId: tips.toUserId,
      amountTokens: tips.amountTokens,
      ledgerTransactionId: tips.ledgerTransactionId,
    })
    .from(tips)
    .where(
      and(
        eq(tips.fromUserId, purchase.userId),
        isNull(tips.reversedAt),
        gte(tips.createdAt, minted.createdAt),
        gt(tips.createdAt, holdStart(deps)),
      ),
    )
    .orderBy(desc(tips.createdAt), desc(tips.id))
    .limit(MAX_TIPS_REVERSED_PER_CLAWBACK);
  if (candidates.length === 0) return [];
  const earnings = await lockEarningsOf(tx, [...new Set(candidates.map((tip) => tip.toUserId))]);
  const reversed: ReversedTip[] = [];
  let uncovered = shortfallTokens;
  for (const tip of candidates) {
    if (uncovered === 0) break;
    const account = earnings.get(tip.toUserId);
    const amountTokens = Math.min(tip.amountTokens, uncovered, account?.balance ?? 0);
    if (!account || amountTokens === 0) continue;
    const posted = await postTransaction(tx, {
      kind: 'tip_reversal',
      idempotencyKey: `tip-reversal:${tip.id}`,
      request: { tipId: tip.id, amountTokens },
      reversesId: tip.ledgerTransactionId,
      metadata: { tipId: tip.id, purchaseId: purchase.id, stripeEventId },
      postings: [
        { account: account.ref, amount: -amountTokens },
        { account: wallet, amount: amountTokens },
      ],
    });
    await tx
      .update(tips)
      .set({
        reversedAt: deps.clock.now(),
        reversedTokens: amountTokens,
        reversalTransactionId: posted.transactionId,
      })
      .where(eq(tips.id, tip.id));
    account.balance -= amountTokens;
    uncovered -= amountTokens;
    reversed.push({
      tipId: tip.id,
      streamId: tip.streamId,
      streamerId: tip.toUserId,
      amountTokens,
      transactionId: posted.transactionId,
    });
  }
  return reversed;
}

type LockedEarnings = { ref: AccountRef; balance: number };

/**
 * The earnings accounts of `streamerIds`, every balance row locked in (account, shard) order, the order the
 * ledger's sharded debit and a withdrawal lock them in, so two clawbacks and a withdrawal cannot deadlock.
 */
async function lockEarningsOf(tx: Transaction, streamerIds: string[]): Promise<Map<string, LockedEarnings>> {
  const rows = await tx
    .select({
      accountId: ledgerAccounts.id,
      userId: ledgerAccounts.userId,
      shardCount: ledgerAccounts.shardCount,
      balance: ledgerBalances.balance,
    })
    .from(ledgerBalances)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerBalances.accountId))
    .where(and(eq(ledgerAccounts.kind, 'earnings'), inArray(ledgerAccounts.userId, streamerIds)))
    .orderBy(asc(ledgerBalances.accountId), asc(ledgerBalances.shard))
    .for('update', { of: ledgerBalances });
  const locked = new Map<string, LockedEarnings>();
  for (const row of rows) {
    const current = locked.get(row.userId!) ?? {
      ref: { id: row.accountId, shardCount: row.shardCount, nonNegative: true },
      balance: 0,
    };
    current.balance += row.balance;
    locked.set(row.userId!, current);
  }
  return locked;
}
