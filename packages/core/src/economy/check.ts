import type { Database } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';

export type LedgerCheck = {
  checkedAt: Date;
  /** Every balance of every account summed: tokens are only ever moved, so this is 0. */
  sumOfBalances: number;
  /** Transactions whose entries do not sum to 0, or that have fewer than two entries. */
  unbalancedTransactions: number;
  /** Accounts whose balance rows do not add up to the sum of their entries. */
  accountsWhoseBalanceDiffersFromEntries: number;
  /** Wallet and earnings balance rows below 0. */
  negativeBalances: number;
  healthy: boolean;
};

/**
 * The ledger's invariants, checked from the rows themselves (not from what the code believes): all balances sum to
 * zero, every transaction's entries sum to zero, each account's balance equals the sum of its entries, and no
 * wallet or earnings is negative. A full read of the ledger: run on demand (the admin app's Finance page, the
 * tests, the benchmarks), not per request.
 */
export async function checkLedger(db: Database, now = new Date()): Promise<LedgerCheck> {
  const [row] = rowsOf<{ total: string; unbalanced: string; drift: string; negative: string }>(
    await db.execute(sql`
      select
        (select coalesce(sum(balance), 0) from ledger_balances)::text as total,
        (select count(*) from (
          select transaction_id from ledger_entries group by transaction_id having sum(amount) <> 0 or count(*) < 2
        ) t)::text as unbalanced,
        (select count(*) from ledger_accounts a
          left join (select account_id, sum(balance) as b from ledger_balances group by account_id) bal
            on bal.account_id = a.id
          left join (select account_id, sum(amount) as e from ledger_entries group by account_id) ent
            on ent.account_id = a.id
          where coalesce(bal.b, 0) <> coalesce(ent.e, 0))::text as drift,
        (select count(*) from ledger_balances where non_negative and balance < 0)::text as negative
    `),
  );
  const check = {
    checkedAt: now,
    sumOfBalances: Number(row?.total ?? 0),
    unbalancedTransactions: Number(row?.unbalanced ?? 0),
    accountsWhoseBalanceDiffersFromEntries: Number(row?.drift ?? 0),
    negativeBalances: Number(row?.negative ?? 0),
  };
  return {
    ...check,
    healthy:
      check.sumOfBalances === 0 &&
      check.unbalancedTransactions === 0 &&
      check.accountsWhoseBalanceDiffersFromEntries === 0 &&
      check.negativeBalances === 0,
  };
}
