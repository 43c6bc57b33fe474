import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import type { LedgerTransaction } from '../schema/economy.ts';
import { rowsOf } from './db-errors.ts';
import { refusing } from './refusals.ts';
import { integerArray, toNumber, toNumbers } from './values.ts';

/** One side of a ledger transaction: `amount` tokens (negative: a debit) on one account. */
export type LedgerPosting = {
  accountId: number;
  /** The account's `shard_count`: a debit of a one-row account returns its new balance. */
  shardCount: number;
  amount: number;
};

export type LedgerPostInput = {
  kind: LedgerTransaction['kind'];
  /** Unique per movement; the same key never moves tokens twice. */
  idempotencyKey: string;
  /** SHA-256 (hex) of the request: the same key with another hash is refused with IDEMPOTENCY_CONFLICT. */
  requestHash: string;
  metadata?: Record<string, unknown>;
  /** The transaction this one reverses. */
  reversesId?: number | null;
  /** Two or more, non-zero, summing to zero (anything else is a plain error, not a refusal). */
  postings: readonly LedgerPosting[];
};

export type LedgerPostResult = {
  transactionId: number;
  /** True when the key was used before with the same request: nothing moved this time. */
  replayed: boolean;
  /** Account id → balance after this transaction, for the one-row accounts it touched; empty on a replay. */
  balances: Map<number, number>;
};

type LedgerPostRow = { transactionId: unknown; replayed: boolean; accountIds: unknown; balances: unknown };

/**
 * Posts one balanced ledger transaction: `packages/db/sql/ledger/ledger_post.sql`. Run it inside the
 * transaction that writes what the movement is for. Refuses with INSUFFICIENT_FUNDS (`detail.available`) or
 * IDEMPOTENCY_CONFLICT.
 */
export async function ledgerPost(executor: Executor, input: LedgerPostInput): Promise<LedgerPostResult> {
  const accounts = integerArray(input.postings.map((posting) => posting.accountId));
  const shards = integerArray(input.postings.map((posting) => posting.shardCount));
  const amounts = integerArray(input.postings.map((posting) => posting.amount));
  const [row] = await refusing(async () =>
    rowsOf<LedgerPostRow>(
      await executor.execute(sql`
        select transaction_id as "transactionId", replayed, account_ids as "accountIds", balances
        from ledger_post(${input.kind}::ledger_transaction_kind, ${input.idempotencyKey}, ${input.requestHash},
          ${JSON.stringify(input.metadata ?? {})}::text::jsonb, ${input.reversesId ?? null}::bigint,
          ${accounts}::bigint[], ${shards}::integer[], ${amounts}::bigint[])`),
    ),
  );
  if (!row) throw new Error('ledger_post returned no row');
  const accountIds = toNumbers(row.accountIds);
  const balances = toNumbers(row.balances);
  return {
    transactionId: toNumber(row.transactionId),
    replayed: row.replayed,
    balances: new Map(accountIds.map((id, i) => [id, balances[i]!])),
  };
}
