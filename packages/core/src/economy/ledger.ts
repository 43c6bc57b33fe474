import type { Database, Transaction } from '@app/db/client';
import type { LedgerTransaction } from '@app/db/schema';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sql } from 'drizzle-orm';
import { rowsOf, sqlError, sqlState } from '../db-errors.ts';
import { DomainError } from '../kernel/errors.ts';
import type { AccountRef } from './accounts.ts';
import { MAX_TRANSACTION_RETRIES } from './config.ts';

export type Posting = { account: AccountRef; amount: number };

export type PostInput = {
  kind: LedgerTransaction['kind'];
  /** Unique per movement; scope caller-supplied keys by user (`tip:{userId}:{key}`). */
  idempotencyKey: string;
  /** What was asked for; the same key with a different request is refused. */
  request: unknown;
  metadata?: Record<string, unknown>;
  reversesId?: number;
  postings: Posting[];
  /** Message for a debit the account cannot cover. */
  insufficientFunds?: (available: number, needed: number) => string;
};

export type PostResult = {
  transactionId: number;
  /** True when the key was used before with the same request: nothing moved this time. */
  replayed: boolean;
  /** Balances after this transaction of the single-row accounts it touched. */
  balances: Map<number, number>;
};

/** SHA-256 of a request in a key order that does not depend on how the object was built. */
export function requestHash(request: unknown): string {
  const canonical = JSON.stringify(request, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical ?? 'null')));
}

function assertBalanced(postings: Posting[]) {
  const total = postings.reduce((sum, posting) => sum + posting.amount, 0);
  const valid = postings.every((posting) => Number.isSafeInteger(posting.amount) && posting.amount !== 0);
  if (postings.length < 2 || total !== 0 || !valid) {
    throw new Error(
      `A ledger transaction must have ≥2 non-zero integer postings summing to 0 (sum ${total}).`,
    );
  }
}

/**
 * Writes one balanced ledger transaction inside `tx` through the database's ledger engine (`ledger_post`, see
 * packages/db/drizzle/0004_ledger_functions.sql): the transaction row under its unique idempotency key, checked
 * debits first (a wallet never goes below zero), the entries, then credits, those to hot accounts on a random
 * balance row, so their lock is held only until commit.
 */
export async function postTransaction(tx: Transaction, input: PostInput): Promise<PostResult> {
  assertBalanced(input.postings);
  const ids = input.postings.map((p) => p.account.id);
  const shards = input.postings.map((p) => p.account.shardCount);
  const amounts = input.postings.map((p) => p.amount);
  try {
    const result = await tx.execute(sql`
      select transaction_id::int as "transactionId", replayed, account_ids as "accountIds", balances
      from ledger_post(${input.kind}::ledger_transaction_kind, ${input.idempotencyKey}, ${requestHash(input.request)},
        ${JSON.stringify(input.metadata ?? {})}::text::jsonb, ${input.reversesId ?? null}::bigint,
        ${pgArray(ids)}::bigint[], ${pgArray(shards)}::integer[], ${pgArray(amounts)}::bigint[])`);
    const [row] = rowsOf<{
      transactionId: number;
      replayed: boolean;
      accountIds: unknown;
      balances: unknown;
    }>(result);
    const accountIds = numbers(row!.accountIds);
    const balances = numbers(row!.balances);
    return {
      transactionId: row!.transactionId,
      replayed: row!.replayed,
      balances: new Map(accountIds.map((id, i) => [id, balances[i]!])),
    };
  } catch (error) {
    const needed = -input.postings
      .filter((p) => p.amount < 0 && p.account.nonNegative)
      .reduce((sum, p) => sum + p.amount, 0);
    throw ledgerError(error, input.insufficientFunds, needed);
  }
}

/** A Postgres array literal of integers (both drivers pass it as text). */
export const pgArray = (values: number[]) => `{${values.map((v) => Math.trunc(v)).join(',')}}`;

/** Postgres bigint[] arrives as numbers, strings, or an array literal, depending on the driver. */
function numbers(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  if (typeof value === 'string') return value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
  return [];
}

/** The ledger engine's refusals, as errors a caller can act on; anything else passes through. */
export function ledgerError(error: unknown, insufficientFunds = defaultShortfall, needed?: number): unknown {
  const failure = sqlError(error);
  if (failure?.state === 'LU402') {
    const available = Number(failure.detail ?? 0);
    return new DomainError('INSUFFICIENT_FUNDS', insufficientFunds(available, needed ?? available + 1));
  }
  if (failure?.state === 'LU409') {
    return new DomainError(
      'CONFLICT',
      'This idempotency key was already used for a different request. Use a new key for a new request.',
    );
  }
  return error;
}

const defaultShortfall = (available: number, needed: number) =>
  `Not enough tokens: ${available} available, ${needed} needed.`;

/** Runs a money transaction, trying again (bounded) when Postgres aborts it for a deadlock or serialization. */
export function inTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return withRetries(() => db.transaction(work));
}

/** Runs `work`, again (bounded, with jitter) when Postgres aborted it for a deadlock or a serialization failure. */
export async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const state = sqlState(error);
      const retryable = state === '40P01' || state === '40001';
      if (!retryable || attempt >= MAX_TRANSACTION_RETRIES) throw error;
      await Bun.sleep(5 * attempt + Math.random() * 10);
    }
  }
}
