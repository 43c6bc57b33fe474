import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { type SQL, sql } from 'drizzle-orm';

/**
 * What the room economy is projected from: the ledger's transactions, in id order, with the tip or purchase each
 * one is about (a purchase's, refund's or chargeback's purchase by its metadata: `purchases.ledger_transaction_id`
 * is not filled in). Every other transaction kind (withdrawals, grants, payouts) is read too, as a `other` fact, so
 * the projector sees every id and can tell a gap (a transaction still in flight) from a kind it ignores.
 */
export type TipFact = {
  kind: 'tip' | 'tip_reversal';
  transactionId: number;
  /** When the ledger transaction was written. */
  at: Date;
  tipId: number;
  streamId: string;
  streamerId: string;
  tipperId: string;
  /** Positive for a tip, negative (what was taken back) for a reversal. */
  amountTokens: number;
  anonymous: boolean;
  /** When the tip itself was sent: periods (days, weeks, hours) count a reversal against the tip's own bucket. */
  tippedAt: Date;
  categoryId: number | null;
};

export type PurchaseFact = {
  kind: 'purchase' | 'purchase_reversal';
  transactionId: number;
  at: Date;
  userId: string;
};

export type OtherFact = { kind: 'other'; transactionId: number; at: Date };

export type Fact = TipFact | PurchaseFact | OtherFact;

type FactRow = {
  transactionId: number;
  kind: string;
  at: string | Date;
  tipId: number | null;
  streamId: string | null;
  streamerId: string | null;
  tipperId: string | null;
  tipTokens: number | null;
  reversedTokens: number | null;
  anonymous: boolean | null;
  tippedAt: string | Date | null;
  categoryId: number | null;
  buyerId: string | null;
};

/**
 * Up to `limit` ledger transactions after `afterId`, in id order, as facts. A reversal's tip is found by its
 * `reversal_transaction_id`; a refund's or chargeback's buyer by the purchase its metadata names.
 */
export function readFacts(db: Executor, afterId: number, limit: number): Promise<Fact[]> {
  return factsOf(
    db,
    sql`(select * from ledger_transactions where id > ${afterId} order by id limit ${limit})`,
  );
}

/** The ledger transactions among `ids` that exist now (holes the projector waits for), as facts. */
export function readFactsByIds(db: Executor, ids: readonly number[]): Promise<Fact[]> {
  return factsOf(
    db,
    sql`(select * from ledger_transactions where id = any(${`{${ids.join(',')}}`}::bigint[]))`,
  );
}

async function factsOf(db: Executor, transactions: SQL): Promise<Fact[]> {
  const rows = rowsOf<FactRow>(
    await db.execute(sql`
      select lt.id::float8 as "transactionId", lt.kind::text as kind, lt.created_at as at,
        t.id::float8 as "tipId", t.stream_id as "streamId", t.to_user_id as "streamerId",
        t.from_user_id as "tipperId", t.amount_tokens::float8 as "tipTokens",
        t.reversed_tokens::float8 as "reversedTokens", t.anonymous, t.created_at as "tippedAt",
        s.category_id as "categoryId", p.user_id as "buyerId"
      from ${transactions} lt
      left join lateral (
        select * from tips where lt.kind = 'tip' and tips.ledger_transaction_id = lt.id
        union all
        select * from tips where lt.kind = 'tip_reversal' and tips.reversal_transaction_id = lt.id
      ) t on true
      left join streams s on s.id = t.stream_id
      left join purchases p on p.id = case when lt.kind in ('purchase', 'refund', 'chargeback')
        then (lt.metadata->>'purchaseId')::uuid end
      order by lt.id`),
  );
  return rows.map(toFact);
}

function toFact(row: FactRow): Fact {
  const transactionId = Number(row.transactionId);
  const at = new Date(row.at);
  if ((row.kind === 'tip' || row.kind === 'tip_reversal') && row.tipId !== null) {
    const reversal = row.kind === 'tip_reversal';
    return {
      kind: reversal ? 'tip_reversal' : 'tip',
      transactionId,
      at,
      tipId: Number(row.tipId),
      streamId: row.streamId!,
      streamerId: row.streamerId!,
      tipperId: row.tipperId!,
      amountTokens: reversal ? -Number(row.reversedTokens ?? 0) : Number(row.tipTokens),
      anonymous: row.anonymous ?? false,
      tippedAt: new Date(row.tippedAt!),
      categoryId: row.categoryId ?? null,
    };
  }
  if (row.buyerId && (row.kind === 'purchase' || row.kind === 'refund' || row.kind === 'chargeback')) {
    return {
      kind: row.kind === 'purchase' ? 'purchase' : 'purchase_reversal',
      transactionId,
      at,
      userId: row.buyerId,
    };
  }
  return { kind: 'other', transactionId, at };
}

export function isTipFact(fact: Fact): fact is TipFact {
  return fact.kind === 'tip' || fact.kind === 'tip_reversal';
}

export function isPurchaseFact(fact: Fact): fact is PurchaseFact {
  return fact.kind === 'purchase' || fact.kind === 'purchase_reversal';
}
