import { ledgerTransactions, users, type Withdrawal, withdrawals } from '@app/db/schema';
import { and, desc, eq, lt } from 'drizzle-orm';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';
import { notifyPayoutDecision, type PayoutDecision } from '../notifications/decisions.ts';
import { accountFor } from './accounts.ts';
import { describeMaturity, type EarningsSplit, lockEarnings } from './earnings.ts';
import { inTransaction, postTransaction } from './ledger.ts';
import { holdReasonFor } from './payout-holds.ts';

/** `approveHeld` is the explicit decision a held withdrawal needs, with the admin's note on why. */
export type PayoutAction = 'approve' | 'approveHeld' | 'reject' | 'markPaid';

async function payoutAccounts(deps: CoreDeps, userId: string) {
  const shards = deps.economy.hotAccountShards;
  const [earnings, payouts, issuance] = await Promise.all([
    accountFor(deps.db, 'earnings', userId, shards),
    accountFor(deps.db, 'payouts', null, shards),
    accountFor(deps.db, 'issuance', null, shards),
  ]);
  return { earnings, payouts, issuance };
}

/**
 * A streamer asks to withdraw earnings: the tokens move at once from earnings to the platform's payouts account
 * (so they cannot be spent twice) and wait there for an admin. Only matured earnings can be withdrawn (tips
 * inside the hold may still be reversed); a streamer tipped inside the hold by a frozen or indebted wallet gets a
 * `held` withdrawal that needs an admin's explicit decision. Idempotent on the caller's key.
 */
export async function requestWithdrawal(
  deps: CoreDeps,
  userId: string,
  input: { amountTokens: number; idempotencyKey: string },
) {
  const { minWithdrawalTokens, payoutCentsPerToken } = deps.economy;
  if (input.amountTokens < minWithdrawalTokens) {
    throw invalid(
      'amountTokens',
      `The minimum withdrawal is ${minWithdrawalTokens.toLocaleString('en-US')} tokens.`,
    );
  }
  const accounts = await payoutAccounts(deps, userId);
  const idempotencyKey = `withdrawal:${userId}:${input.idempotencyKey}`;
  const withdrawal = await inTransaction(deps.db, async (tx) => {
    // Under the earnings lock a request with this key either committed already (a replay) or cannot start.
    const split = await lockEarnings(deps, tx, userId, accounts.earnings);
    const [used] = await tx
      .select({ id: ledgerTransactions.id })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, idempotencyKey));
    if (!used && input.amountTokens > split.availableTokens) throw notMatured(split);
    const posted = await postTransaction(tx, {
      kind: 'withdrawal',
      idempotencyKey,
      request: { amountTokens: input.amountTokens },
      postings: [
        { account: accounts.earnings, amount: -input.amountTokens },
        { account: accounts.payouts, amount: input.amountTokens },
      ],
    });
    if (posted.replayed) {
      const [existing] = await tx
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.requestTransactionId, posted.transactionId));
      return { ...streamerView(existing!), replayed: true };
    }
    const holdReason = await holdReasonFor(deps, tx, userId);
    const [created] = await tx
      .insert(withdrawals)
      .values({
        userId,
        amountTokens: input.amountTokens,
        payoutCents: input.amountTokens * payoutCentsPerToken,
        requestTransactionId: posted.transactionId,
        ...(holdReason ? { status: 'held' as const, holdReason, heldAt: deps.clock.now() } : {}),
      })
      .returning();
    return { ...streamerView(created!), replayed: false };
  });
  const { replayed, ...view } = withdrawal;
  if (!replayed && view.status === 'held') {
    await notifyPayoutDecision(deps, {
      id: view.id,
      userId,
      status: 'held',
      amountTokens: view.amountTokens,
    });
  }
  return view;
}

/** A withdrawal as its streamer sees it: the hold reason names tippers, some of them anonymous, so it is left out. */
function streamerView<T extends { holdReason: string | null }>({ holdReason: _reason, ...withdrawal }: T) {
  return withdrawal;
}

function notMatured(split: EarningsSplit) {
  const available = split.availableTokens.toLocaleString('en-US');
  const pending = split.pendingTokens
    ? ` ${split.pendingTokens.toLocaleString('en-US')} more are tips still maturing; ${describeMaturity(split.nextMaturity)}.`
    : '';
  return new DomainError('INSUFFICIENT_FUNDS', `You can withdraw up to ${available} tokens now.${pending}`);
}

export async function listWithdrawals(
  deps: CoreDeps,
  filter: { userId?: string; status?: Withdrawal['status']; cursor?: string | null; limit: number },
) {
  const rows = await deps.db
    .select({ withdrawal: withdrawals, username: users.username, displayName: users.displayName })
    .from(withdrawals)
    .innerJoin(users, eq(users.id, withdrawals.userId))
    .where(
      and(
        filter.userId ? eq(withdrawals.userId, filter.userId) : undefined,
        filter.status ? eq(withdrawals.status, filter.status) : undefined,
        filter.cursor ? lt(withdrawals.createdAt, new Date(filter.cursor)) : undefined,
      ),
    )
    .orderBy(desc(withdrawals.createdAt))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map((row) => ({
      ...row.withdrawal,
      streamer: { username: row.username, displayName: row.displayName },
    })),
    nextCursor: rows.length > filter.limit ? (page.at(-1)?.withdrawal.createdAt.toISOString() ?? null) : null,
  };
}

/** A streamer's own withdrawals; the hold reason stays with the admins. */
export async function listOwnWithdrawals(
  deps: CoreDeps,
  userId: string,
  page: { cursor?: string | null; limit: number },
) {
  const { items, nextCursor } = await listWithdrawals(deps, { userId, ...page });
  return { items: items.map(streamerView), nextCursor };
}

const ALLOWED: Record<PayoutAction, Withdrawal['status'][]> = {
  approve: ['pending'],
  approveHeld: ['held'],
  reject: ['pending', 'held', 'approved'],
  markPaid: ['approved'],
};

/**
 * An admin decides: approve (pending → approved), reject (tokens return to the streamer's earnings), or mark
 * paid (the money left: the tokens are retired to issuance). Each money step is its own ledger transaction.
 */
export async function reviewWithdrawal(
  deps: CoreDeps,
  adminId: string,
  input: { withdrawalId: string; action: PayoutAction; note?: string },
) {
  const [current] = await deps.db.select().from(withdrawals).where(eq(withdrawals.id, input.withdrawalId));
  if (!current) throw notFound('That withdrawal');
  if (current.userId === adminId) throw forbidden('You cannot review your own withdrawal.');
  if (input.action === 'approveHeld' && !input.note?.trim()) {
    throw invalid('note', 'Say why this held withdrawal may be paid: the note is kept with the decision.');
  }
  const accounts = await payoutAccounts(deps, current.userId);
  const updated = await inTransaction(deps.db, async (tx) => {
    const [withdrawal] = await tx
      .select()
      .from(withdrawals)
      .where(eq(withdrawals.id, input.withdrawalId))
      .for('update');
    if (!ALLOWED[input.action].includes(withdrawal!.status)) throw wrongStep(withdrawal!, input.action);
    const now = deps.clock.now();
    const review = { reviewedById: adminId, reviewedAt: now, note: input.note ?? withdrawal!.note };
    if (input.action === 'approve' || input.action === 'approveHeld') {
      return (
        await tx
          .update(withdrawals)
          .set({ status: 'approved', ...review })
          .where(eq(withdrawals.id, withdrawal!.id))
          .returning()
      )[0]!;
    }
    const posted = await postTransaction(tx, {
      kind: input.action === 'reject' ? 'withdrawal_reversal' : 'payout',
      idempotencyKey: `withdrawal:${withdrawal!.id}:${input.action}`,
      request: { withdrawalId: withdrawal!.id, action: input.action },
      reversesId: input.action === 'reject' ? withdrawal!.requestTransactionId : undefined,
      metadata: { withdrawalId: withdrawal!.id },
      postings:
        input.action === 'reject'
          ? [
              { account: accounts.payouts, amount: -withdrawal!.amountTokens },
              { account: accounts.earnings, amount: withdrawal!.amountTokens },
            ]
          : [
              { account: accounts.payouts, amount: -withdrawal!.amountTokens },
              { account: accounts.issuance, amount: withdrawal!.amountTokens },
            ],
    });
    const changes =
      input.action === 'reject'
        ? { status: 'rejected' as const, reversalTransactionId: posted.transactionId, ...review }
        : { status: 'paid' as const, paidAt: now, ...review };
    return (
      await tx.update(withdrawals).set(changes).where(eq(withdrawals.id, withdrawal!.id)).returning()
    )[0]!;
  });
  await publishToUser(deps.bus, updated.userId, {
    type: 'withdrawal.changed',
    withdrawalId: updated.id,
    status: updated.status,
  });
  await notifyPayoutDecision(deps, {
    id: updated.id,
    userId: updated.userId,
    status: updated.status as PayoutDecision['status'],
    amountTokens: updated.amountTokens,
    note: updated.status === 'rejected' ? updated.note : null,
  });
  return updated;
}

function wrongStep(withdrawal: Withdrawal, action: PayoutAction) {
  if (withdrawal.status === 'held' && action === 'approve') {
    return new DomainError(
      'CONFLICT',
      `This withdrawal is held for review: ${withdrawal.holdReason ?? 'no reason was recorded.'} Approve it as a held payout, with a note saying why, or reject it.`,
    );
  }
  const done = { approve: 'approved', approveHeld: 'approved', reject: 'rejected', markPaid: 'marked paid' };
  return new DomainError(
    'CONFLICT',
    `This withdrawal is ${withdrawal.status}; it cannot be ${done[action]}.`,
  );
}
