import type { Database } from '@app/db/client';
import { type SendTipManyItem, type SentTip as StoredTip, sendTipMany } from '@app/db/engine';
import { DomainError } from '../kernel/errors.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import { MAX_TRANSACTION_RETRIES } from './config.ts';
import { isRetryable, retryDelayMs } from './ledger.ts';

/**
 * At most this many tips go to the database in one call. Each tip is a subtransaction, and visibility checks
 * inside a transaction slow down as its subtransactions add up (past 64 a transaction's subtransaction ids spill to
 * pg_subtrans), while the round trip and the commit's WAL flush are paid once per call. Measured here (2 cores
 * shared with other work, so ±40 % between runs; one hot streamer, 64 callers in one process, no HTTP): batches
 * of 1, one at a time, stored ~300 tips/s; with two in flight, batches of 5 ~1,000–1,400, of 10 ~1,100–2,600, of
 * 20 ~900–2,500, of 32 ~800–1,800. pgbench calling send_tip_many straight gave ~2,300–3,800 tips/s at 5–10 per
 * call and ~2,300–6,000 at 20–32. Past 10 the gain is inside the noise while a batch holds its locks longer, so
 * 10, as for chat.
 */
export const TIP_BATCH_MAX = 10;
/**
 * Batches of one process in flight at once. One at a time keeps one Postgres backend busy (one core) and leaves it
 * idle while the answer travels back and the next batch is built. Measured as above with batches of 10: 1 drain
 * ~600–1,600 tips/s, 2 ~900–1,800, 3 ~1,000–2,600 (median ~2,000), 4 and 6 no better than 2. Each batch credits
 * one earnings row of a hot streamer (`send_tip_many` draws one shard per batch), so three rarely wait on each
 * other.
 */
export const TIP_DRAINS = 3;

type Waiting = {
  item: SendTipManyItem;
  /** Calls to the database this tip has been in. */
  attempt: number;
  resolve: (stored: StoredTip) => void;
  reject: (error: unknown) => void;
};

type Queue = {
  waiting: Waiting[];
  /** Tips admitted and not yet answered: waiting, in a batch in flight, or waiting to be sent again. */
  pending: number;
  drains: number;
  /**
   * The wallets of the batches in flight. A wallet's next tips wait for its batch to commit, so no two batches of
   * this process lock the same wallet: they cannot deadlock over wallets (two tippers each in both batches, in
   * opposite orders, would, and Postgres takes a second to find a deadlock), and a tipper's tips stay in order.
   */
  busyWallets: Set<number>;
  /** Tips sent again after a deadlock or serialization failure, since this process started. */
  retried: number;
};

/** The tips waiting for the database, per database: one queue per server process and database. */
const queues = new WeakMap<object, Queue>();

function queueOf(db: Database): Queue {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], pending: 0, drains: 0, busyWallets: new Set(), retried: 0 };
    queues.set(db, queue);
  }
  return queue;
}

/**
 * This process's tips for `db`: waiting for a batch, pending in all (waiting, in flight, to be sent again), and
 * how many were sent again after losing a deadlock.
 */
export function tipQueueState(db: Database): { waiting: number; pending: number; retried: number } {
  const queue = queues.get(db);
  return { waiting: queue?.waiting.length ?? 0, pending: queue?.pending ?? 0, retried: queue?.retried ?? 0 };
}

/** The refusal of a tip when the queue is full: nothing was stored, the same tip can be sent again. */
export function tipsBusy(): DomainError {
  return new DomainError(
    'RATE_LIMITED',
    'Tips are arriving faster than they can be stored. Wait a moment and try again.',
    { retryAfterSeconds: 1 },
  );
}

/**
 * Stores one tip (`send_tip_many`, packages/db/sql/tips/send_tip_many.sql) together with the others this process
 * has waiting: the tips that arrive while a batch is in the database go together in the next one, so under load a
 * tip costs a share of one round trip and one commit. The outcome is the tip's own: the stored tip, or its
 * refusal as an EngineRefusal (for the caller to word), or its error. A tip that lost a deadlock is sent again
 * (bounded, with jitter) as `withRetries` does for one transaction. When `maxPending` tips are already
 * pending, the tip is refused at once (RATE_LIMITED) and nothing is stored.
 */
export function queueTip(db: Database, item: SendTipManyItem, maxPending: number): Promise<StoredTip> {
  const queue = queueOf(db);
  if (queue.pending >= maxPending) return Promise.reject(tipsBusy());
  queue.pending++;
  return new Promise<StoredTip>((resolve, reject) => {
    const done = () => {
      queue.pending--;
    };
    enqueue(db, queue, {
      item,
      attempt: 1,
      resolve: (stored) => {
        done();
        resolve(stored);
      },
      reject: (error) => {
        done();
        reject(error);
      },
    });
  });
}

function enqueue(db: Database, queue: Queue, waiting: Waiting) {
  queue.waiting.push(waiting);
  if (queue.drains < TIP_DRAINS) {
    queue.drains++;
    void drain(db, queue);
  }
}

async function drain(db: Database, queue: Queue) {
  try {
    for (let batch = takeBatch(queue); batch.length > 0; batch = takeBatch(queue)) {
      const wallets = new Set(batch.map((waiting) => waiting.item.walletAccountId));
      for (const wallet of wallets) queue.busyWallets.add(wallet);
      try {
        await storeBatch(db, queue, batch);
      } finally {
        for (const wallet of wallets) queue.busyWallets.delete(wallet);
      }
    }
  } finally {
    queue.drains--;
  }
}

/**
 * The oldest waiting tips, up to `TIP_BATCH_MAX`, leaving those whose wallet is in a batch in flight (the drain of
 * that batch takes them next). Empty when every waiting tip waits for a wallet: this drain then stops.
 */
function takeBatch(queue: Queue): Waiting[] {
  const batch: Waiting[] = [];
  const rest: Waiting[] = [];
  for (const waiting of queue.waiting) {
    const free = batch.length < TIP_BATCH_MAX && !queue.busyWallets.has(waiting.item.walletAccountId);
    (free ? batch : rest).push(waiting);
  }
  queue.waiting = rest;
  // Streamers in one order in every batch: a batch locks one earnings row per streamer (one shard drawn per
  // batch), so two batches that drew the same shard wait for each other instead of deadlocking. Tips waiting
  // together were sent at the same time; a key sent twice keeps its order (the sort is stable).
  return batch.sort((a, b) => a.item.earningsAccountId - b.item.earningsAccountId);
}

async function storeBatch(db: Database, queue: Queue, batch: Waiting[]) {
  let outcomes: Awaited<ReturnType<typeof sendTipMany>>;
  try {
    outcomes = await sendTipMany(
      db,
      batch.map((waiting) => waiting.item),
      { duplicateSeconds: CHAT_LIMITS.duplicateSeconds },
    );
  } catch (error) {
    for (const waiting of batch) retryOrReject(db, queue, waiting, error);
    return;
  }
  for (const [i, waiting] of batch.entries()) {
    const outcome = outcomes[i];
    if (!outcome) waiting.reject(new Error('send_tip_many returned fewer rows than tips'));
    else if (outcome.ok) waiting.resolve(outcome.sent);
    else if ('refusal' in outcome) waiting.reject(outcome.refusal);
    else retryOrReject(db, queue, waiting, outcome.error);
  }
}

/** A deadlocked tip's subtransaction was undone and nothing of it stored: it goes into a later batch. */
function retryOrReject(db: Database, queue: Queue, waiting: Waiting, error: unknown) {
  if (!isRetryable(error) || waiting.attempt >= MAX_TRANSACTION_RETRIES) {
    waiting.reject(error);
    return;
  }
  const delay = retryDelayMs(waiting.attempt);
  waiting.attempt++;
  queue.retried++;
  setTimeout(() => enqueue(db, queue, waiting), delay);
}
