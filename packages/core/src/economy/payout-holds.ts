import type { Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { withdrawals } from '@app/db/schema';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { holdStart } from './earnings.ts';

// A streamer who was tipped, inside the hold, by a wallet that is now frozen or in debt may be the other half of
// a stolen card: their withdrawals wait for an admin's explicit decision instead of the ordinary queue.

/** How many suspect tippers a hold reason names; the rest are counted. */
const NAMED_TIPPERS = 3;

type SuspectRow = { username: string; tokens: string | number; frozen: boolean; debt: string | number };

/**
 * Why a withdrawal of `streamerId` should be held, or null: the tippers of the last `earningsHoldHours` whose
 * wallet is frozen or in debt (reversed tips count too: the tip itself is the signal).
 */
export async function holdReasonFor(
  deps: CoreDeps,
  tx: Transaction,
  streamerId: string,
): Promise<string | null> {
  const suspects = rowsOf<SuspectRow>(
    await tx.execute(sql`
      select u.username, sum(t.amount_tokens) as tokens, bool_or(w.frozen_at is not null) as frozen,
        coalesce(max(-d.balance), 0) as debt
      from tips t
      join users u on u.id = t.from_user_id
      join ledger_accounts w on w.user_id = t.from_user_id and w.kind = 'wallet'
      left join ledger_accounts da on da.user_id = t.from_user_id and da.kind = 'debt'
      left join ledger_balances d on d.account_id = da.id
      where t.to_user_id = ${streamerId}::uuid and t.created_at > ${holdStart(deps).toISOString()}::timestamptz
        and (w.frozen_at is not null or d.balance < 0)
      group by u.username
      order by sum(t.amount_tokens) desc, u.username`),
  );
  if (suspects.length === 0) return null;
  const named = suspects.slice(0, NAMED_TIPPERS).map((row) => {
    const debt = Number(row.debt);
    const state = debt > 0 ? `owes ${debt.toLocaleString('en-US')}` : 'frozen';
    return `@${row.username} (${Number(row.tokens).toLocaleString('en-US')} tokens, ${state})`;
  });
  const more = suspects.length - named.length;
  return (
    `Tipped in the last ${deps.economy.earningsHoldHours} hours by ${suspects.length === 1 ? 'a wallet' : `${suspects.length} wallets`} ` +
    `frozen or in debt after a reversed payment: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`
  );
}

export type HeldWithdrawal = { id: string; userId: string; amountTokens: number };

/**
 * After `tipperId`'s wallet froze: every unpaid withdrawal (pending or approved) of a streamer they tipped inside
 * the hold moves to `held`, with the reason, so no admin pays it out without looking first.
 */
export async function holdPayoutsTippedBy(
  deps: CoreDeps,
  tx: Transaction,
  tipperId: string,
): Promise<HeldWithdrawal[]> {
  const tipped = rowsOf<{ streamerId: string }>(
    await tx.execute(sql`
      select distinct to_user_id as "streamerId" from tips
      where from_user_id = ${tipperId}::uuid and created_at > ${holdStart(deps).toISOString()}::timestamptz`),
  );
  const held: HeldWithdrawal[] = [];
  for (const { streamerId } of tipped) {
    const reason = await holdReasonFor(deps, tx, streamerId);
    if (!reason) continue;
    const rows = await tx
      .update(withdrawals)
      .set({ status: 'held', holdReason: reason, heldAt: deps.clock.now() })
      .where(and(eq(withdrawals.userId, streamerId), inArray(withdrawals.status, ['pending', 'approved'])))
      .returning({ id: withdrawals.id, userId: withdrawals.userId, amountTokens: withdrawals.amountTokens });
    held.push(...rows);
  }
  return held;
}
