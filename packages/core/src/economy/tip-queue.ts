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
};

/** The tips waiting for the database, per database: one queue per server process and database. */
const queues = new WeakMap<object, Queue>();

function queueOf(db: Database): Queue {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], pending: 0, drains: 0 };
    queues.set(db, queue);
  }
  return queue;
}

/** This process's tips for `db`: waiting for a batch, and pending in all (waiting, in flight, to be sent again). */
export function tipQueueDepth(db: Database): { waiting: number; pending: number } {
  const queue = queues.get(db);
  return { waiting: queue?.waiting.length ?? 0, pending: queue?.pending ?? 0 };
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
    while (queue.waiting.length > 0) {
      await storeBatch(db, queue, queue.waiting.splice(0, TIP_BATCH_MAX));
    }
  } finally {
    queue.drains--;
  }
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
  setTimeout(() => enqueue(db, queue, waiting), delay);
}
