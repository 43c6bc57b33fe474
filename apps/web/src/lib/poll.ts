/** How often a pending payment is checked. */
export const PAYMENT_POLL_INTERVAL_MS = 2_000;
/** After this long the page stops asking and says the tokens will appear once Stripe confirms. */
export const PAYMENT_POLL_TIMEOUT_MS = 3 * 60_000;

export type PollOutcome<T> =
  | { kind: 'settled'; value: T }
  | { kind: 'timeout'; last: T | null }
  | { kind: 'aborted' }
  | { kind: 'failed'; error: unknown };

export interface PollOptions<T> {
  /** One look at the state (an API query). */
  check: () => Promise<T>;
  /** Whether to keep looking after this answer. */
  isPending: (value: T) => boolean;
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Errors that will not go away by asking again (the payment does not exist, the session ended). */
  isFatal?: (error: unknown) => boolean;
  /** Every answer and every passing error, for progress messages. */
  onValue?: (value: T) => void;
  onError?: (error: unknown, inARow: number) => void;
  /** Injected by tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Asks `check` right away and then every `intervalMs` until an answer is no longer pending, the time is up, the
 * signal aborts, or a fatal error. Passing errors (a dropped connection) are reported and the polling goes on.
 */
export async function pollUntilSettled<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
  const intervalMs = options.intervalMs ?? PAYMENT_POLL_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? PAYMENT_POLL_TIMEOUT_MS;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + timeoutMs;
  let last: T | null = null;
  let errorsInARow = 0;
  while (true) {
    if (options.signal?.aborted) return { kind: 'aborted' };
    try {
      const value = await options.check();
      if (options.signal?.aborted) return { kind: 'aborted' };
      errorsInARow = 0;
      last = value;
      options.onValue?.(value);
      if (!options.isPending(value)) return { kind: 'settled', value };
    } catch (error) {
      if (options.signal?.aborted) return { kind: 'aborted' };
      if (options.isFatal?.(error)) return { kind: 'failed', error };
      errorsInARow++;
      options.onError?.(error, errorsInARow);
    }
    if (now() + intervalMs > deadline) return { kind: 'timeout', last };
    await sleep(intervalMs, options.signal);
  }
}
