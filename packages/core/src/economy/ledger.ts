import type { Database, Transaction } from '@app/db/client';
import { type LedgerTransaction, ledgerBalances, ledgerEntries, ledgerTransactions } from '@app/db/schema';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, eq, sql } from 'drizzle-orm';
import { sqlState } from '../db-errors.ts';
import { DomainError } from '../errors.ts';
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
 * Writes one balanced ledger transaction inside `tx`: the transaction row (unique idempotency key), the balance
 * changes and the entries. Debits come first and are checked (a wallet never goes below zero); credits to hot
 * accounts go to a random balance row and come last, so their row lock is held only until commit.
 */
export async function postTransaction(tx: Transaction, input: PostInput): Promise<PostResult> {
  assertBalanced(input.postings);
  const hash = requestHash(input.request);
  const [inserted] = await tx
    .insert(ledgerTransactions)
    .values({
      kind: input.kind,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      metadata: input.metadata ?? {},
      reversesId: input.reversesId ?? null,
    })
    .onConflictDoNothing({ target: ledgerTransactions.idempotencyKey })
    .returning({ id: ledgerTransactions.id });
  if (!inserted) {
    const [existing] = await tx
      .select({ id: ledgerTransactions.id, requestHash: ledgerTransactions.requestHash })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, input.idempotencyKey));
    if (!existing || existing.requestHash !== hash) {
      throw new DomainError(
        'CONFLICT',
        'This idempotency key was already used for a different request. Use a new key for a new request.',
      );
    }
    return { transactionId: existing.id, replayed: true, balances: new Map() };
  }
  const balances = new Map<number, number>();
  const ordered = [...input.postings].sort((a, b) => a.amount - b.amount);
  const debits = ordered.filter((posting) => posting.amount < 0);
  const credits = ordered.filter((posting) => posting.amount > 0);
  for (const posting of debits) await applyPosting(tx, posting, balances, input.insufficientFunds);
  await tx
    .insert(ledgerEntries)
    .values(
      input.postings.map((p) => ({ transactionId: inserted.id, accountId: p.account.id, amount: p.amount })),
    );
  for (const posting of credits) await applyPosting(tx, posting, balances, input.insufficientFunds);
  return { transactionId: inserted.id, replayed: false, balances };
}

const defaultShortfall = (available: number, needed: number) =>
  `Not enough tokens: ${available} available, ${needed} needed.`;

async function applyPosting(
  tx: Transaction,
  { account, amount }: Posting,
  balances: Map<number, number>,
  message = defaultShortfall,
) {
  if (account.shardCount === 1) {
    const [row] = await tx
      .update(ledgerBalances)
      .set({ balance: sql`${ledgerBalances.balance} + ${amount}` })
      .where(
        and(
          eq(ledgerBalances.accountId, account.id),
          eq(ledgerBalances.shard, 0),
          sql`(not ${ledgerBalances.nonNegative} or ${ledgerBalances.balance} + ${amount} >= 0)`,
        ),
      )
      .returning({ balance: ledgerBalances.balance });
    if (!row) {
      const [current] = await tx
        .select({ balance: ledgerBalances.balance })
        .from(ledgerBalances)
        .where(and(eq(ledgerBalances.accountId, account.id), eq(ledgerBalances.shard, 0)));
      throw new DomainError('INSUFFICIENT_FUNDS', message(current?.balance ?? 0, -amount));
    }
    balances.set(account.id, row.balance);
    return;
  }
  if (amount > 0 || !account.nonNegative) {
    const shard = Math.floor(Math.random() * account.shardCount);
    await tx
      .update(ledgerBalances)
      .set({ balance: sql`${ledgerBalances.balance} + ${amount}` })
      .where(and(eq(ledgerBalances.accountId, account.id), eq(ledgerBalances.shard, shard)));
    return;
  }
  await drainShards(tx, account, -amount, message);
}

/** A checked debit of a sharded account: lock its rows in order, then take from each until covered. */
async function drainShards(
  tx: Transaction,
  account: AccountRef,
  needed: number,
  message: typeof defaultShortfall,
) {
  const rows = await tx
    .select({ shard: ledgerBalances.shard, balance: ledgerBalances.balance })
    .from(ledgerBalances)
    .where(eq(ledgerBalances.accountId, account.id))
    .orderBy(asc(ledgerBalances.shard))
    .for('update');
  const available = rows.reduce((sum, row) => sum + row.balance, 0);
  if (available < needed) throw new DomainError('INSUFFICIENT_FUNDS', message(available, needed));
  let remaining = needed;
  for (const row of rows) {
    if (remaining === 0) break;
    const take = Math.min(row.balance, remaining);
    if (take === 0) continue;
    remaining -= take;
    await tx
      .update(ledgerBalances)
      .set({ balance: sql`${ledgerBalances.balance} - ${take}` })
      .where(and(eq(ledgerBalances.accountId, account.id), eq(ledgerBalances.shard, row.shard)));
  }
}

/** Runs a money transaction, trying again (bounded) when Postgres aborts it for a deadlock or serialization. */
export async function inTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const state = sqlState(error);
      const retryable = state === '40P01' || state === '40001';
      if (!retryable || attempt >= MAX_TRANSACTION_RETRIES) throw error;
      await Bun.sleep(5 * attempt + Math.random() * 10);
    }
  }
}
