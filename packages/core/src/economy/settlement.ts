import type { Transaction } from '@app/db/client';
import { ledgerAccounts, ledgerBalances, type Purchase } from '@app/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import type { AccountRef } from './accounts.ts';
import { type Posting, postTransaction } from './ledger.ts';
import { type HeldWithdrawal, holdPayoutsTippedBy } from './payout-holds.ts';
import { type ReversedTip, reverseFundedTips } from './tip-reversals.ts';

// What a purchase does to the ledger once Stripe has spoken: minting (new tokens pay any debt first) and the
// clawback of a refund or dispute (tips it funded are reversed first, the rest is taken or becomes debt).

export type PurchaseAccounts = {
  wallet: AccountRef;
  debt: AccountRef;
  issuance: AccountRef;
  bonus: AccountRef;
};

/** What a clawback changed beyond the buyer's own accounts, for announcing after commit. */
export type ClawbackEffects = { reversedTips: ReversedTip[]; heldWithdrawals: HeldWithdrawal[] };

/** The single balance row of a wallet or debt account, locked until the transaction ends. */
async function lockSingle(tx: Transaction, account: AccountRef): Promise<number> {
  const [row] = await tx
    .select({ balance: ledgerBalances.balance })
    .from(ledgerBalances)
    .where(and(eq(ledgerBalances.accountId, account.id), eq(ledgerBalances.shard, 0)))
    .for('update');
  return row?.balance ?? 0;
}

/**
 * Issues the purchased tokens (and any bonus). A buyer in debt pays it first: the new tokens settle the debt
 * account before the rest reaches the wallet, and the wallet unfreezes once nothing is owed, as a payments
 * platform nets what a customer owes against what it next pays them.
 */
export async function mint(tx: Transaction, purchase: Purchase, accounts: PurchaseAccounts, eventId: string) {
  const total = purchase.tokens + purchase.bonusTokens;
  const owed = -(await lockSingle(tx, accounts.debt));
  const settled = Math.min(Math.max(owed, 0), total);
  const postings: Posting[] = [{ account: accounts.issuance, amount: -purchase.tokens }];
  if (purchase.bonusTokens > 0) postings.push({ account: accounts.bonus, amount: -purchase.bonusTokens });
  if (settled > 0) postings.push({ account: accounts.debt, amount: settled });
  if (total > settled) postings.push({ account: accounts.wallet, amount: total - settled });
  await postTransaction(tx, {
    kind: 'purchase',
    idempotencyKey: `purchase:${purchase.id}`,
    request: { purchaseId: purchase.id, tokens: purchase.tokens, bonusTokens: purchase.bonusTokens },
    metadata: { purchaseId: purchase.id, stripeEventId: eventId, debtSettledTokens: settled },
    postings,
  });
  if (owed > 0 && settled === owed) {
    await tx.update(ledgerAccounts).set({ frozenAt: null }).where(eq(ledgerAccounts.id, accounts.wallet.id));
  }
}

/**
 * Takes a refunded or disputed purchase's tokens back, once per purchase. When the wallet no longer holds them,
 * the tips the purchase funded that are still pending go back from the streamers' earnings first
 * (`reverseFundedTips`); what is still uncovered becomes the buyer's debt and freezes the wallet — a shortfall is
 * recorded, never forgiven — and unpaid withdrawals of streamers they tipped inside the hold are held for review.
 */
export async function clawBack(
  deps: CoreDeps,
  tx: Transaction,
  purchase: Purchase,
  accounts: PurchaseAccounts,
  event: { id: string; type: string },
): Promise<ClawbackEffects> {
  const total = purchase.tokens + purchase.bonusTokens;
  const inWallet = await lockSingle(tx, accounts.wallet);
  const reversedTips =
    inWallet < total
      ? await reverseFundedTips(deps, tx, purchase, accounts.wallet, total - inWallet, event.id)
      : [];
  const recovered = reversedTips.reduce((sum, tip) => sum + tip.amountTokens, 0);
  const take = Math.min(inWallet + recovered, total);
  const shortfall = total - take;
  const postings: Posting[] = [{ account: accounts.issuance, amount: purchase.tokens }];
  if (purchase.bonusTokens > 0) postings.push({ account: accounts.bonus, amount: purchase.bonusTokens });
  if (take > 0) postings.push({ account: accounts.wallet, amount: -take });
  if (shortfall > 0) postings.push({ account: accounts.debt, amount: -shortfall });
  await postTransaction(tx, {
    kind: event.type === 'charge.refunded' ? 'refund' : 'chargeback',
    idempotencyKey: `clawback:${purchase.id}`,
    request: { purchaseId: purchase.id },
    metadata: {
      purchaseId: purchase.id,
      stripeEventId: event.id,
      shortfallTokens: shortfall,
      reversedTipTokens: recovered,
    },
    postings,
  });
  if (shortfall === 0) return { reversedTips, heldWithdrawals: [] };
  await tx
    .update(ledgerAccounts)
    .set({ frozenAt: sql`coalesce(${ledgerAccounts.frozenAt}, now())` })
    .where(eq(ledgerAccounts.id, accounts.wallet.id));
  return { reversedTips, heldWithdrawals: await holdPayoutsTippedBy(deps, tx, purchase.userId) };
}
