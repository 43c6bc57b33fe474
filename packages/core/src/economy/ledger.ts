import type { Database, Transaction } from '@app/db/client';
import { EngineRefusal, ledgerPost, sqlState } from '@app/db/engine';
import type { LedgerTransaction } from '@app/db/schema';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
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
 * Writes one balanced ledger transaction inside `tx` through the database's ledger engine (`ledgerPost`,
 * packages/db/sql/ledger/ledger_post.sql): the transaction row under its unique idempotency key, checked
 * debits first (a wallet never goes below zero), the entries, then credits, those to hot accounts on a random
 * balance row, so their lock is held only until commit.
 */
export async function postTransaction(tx: Transaction, input: PostInput): Promise<PostResult> {
  assertBalanced(input.postings);
  try {
    return await ledgerPost(tx, {
      kind: input.kind,
      idempotencyKey: input.idempotencyKey,
      requestHash: requestHash(input.request),
      metadata: input.metadata ?? {},
      reversesId: input.reversesId ?? null,
      postings: input.postings.map((p) => ({
        accountId: p.account.id,
        shardCount: p.account.shardCount,
        amount: p.amount,
      })),
    });
  } catch (error) {
    const needed = -input.postings
      .filter((p) => p.amount < 0 && p.account.nonNegative)
      .reduce((sum, p) => sum + p.amount, 0);
    throw ledgerError(error, input.insufficientFunds, needed);
  }
}

/** The ledger engine's refusals, as errors a caller can act on; anything else passes through. */
export function ledgerError(error: unknown, insufficientFunds = defaultShortfall, needed?: number): unknown {
  if (!(error instanceof EngineRefusal)) return error;
  if (error.is('INSUFFICIENT_FUNDS')) {
    const { available } = error.detail;
    return new DomainError('INSUFFICIENT_FUNDS', insufficientFunds(available, needed ?? available + 1));
  }
  if (error.is('IDEMPOTENCY_CONFLICT')) {
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
      if (!isRetryable(error) || attempt >= MAX_TRANSACTION_RETRIES) throw error;
      await Bun.sleep(retryDelayMs(attempt));
    }
  }
}

/** Whether Postgres aborted the work for a deadlock or a serialization failure: trying again can succeed. */
export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/** How long to wait before trying again after failed attempt `attempt`: growing, with jitter. */
export const retryDelayMs = (attempt: number) => 5 * attempt + Math.random() * 10;
