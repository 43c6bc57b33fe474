import { describe, expect, test } from 'bun:test';
import { PAYMENT_POLL_INTERVAL_MS, PAYMENT_POLL_TIMEOUT_MS, pollUntilSettled } from './poll.ts';

/** A clock that only moves when the poller sleeps, so tests run instantly and count every wait. */
function fakeTime() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

const pending = (status: string) => status === 'pending';

describe('pollUntilSettled', () => {
  test('asks at once, then every interval, and stops at the first settled answer', async () => {
    const clock = fakeTime();
    const answers = ['pending', 'pending', 'succeeded', 'never asked'];
    let asked = 0;
    const outcome = await pollUntilSettled({
      check: async () => answers[asked++]!,
      isPending: pending,
      ...clock,
    });
    expect(outcome).toEqual({ kind: 'settled', value: 'succeeded' });
    expect(asked).toBe(3);
    expect(clock.sleeps).toEqual([PAYMENT_POLL_INTERVAL_MS, PAYMENT_POLL_INTERVAL_MS]);
  });

  test('gives up after the time limit with a bounded number of checks', async () => {
    const clock = fakeTime();
    let asked = 0;
    const outcome = await pollUntilSettled({
      check: async () => {
        asked++;
        return 'pending';
      },
      isPending: pending,
      ...clock,
    });
    expect(outcome).toEqual({ kind: 'timeout', last: 'pending' });
    expect(asked).toBe(PAYMENT_POLL_TIMEOUT_MS / PAYMENT_POLL_INTERVAL_MS + 1);
    expect(clock.now()).toBeLessThanOrEqual(PAYMENT_POLL_TIMEOUT_MS);
  });

  test('passing errors are reported and polling goes on', async () => {
    const clock = fakeTime();
    const seen: number[] = [];
    let asked = 0;
    const outcome = await pollUntilSettled({
      check: async () => {
        asked++;
        if (asked <= 2) throw new TypeError('Failed to fetch');
        return 'failed';
      },
      isPending: pending,
      onError: (_error, inARow) => seen.push(inARow),
      ...clock,
    });
    expect(outcome).toEqual({ kind: 'settled', value: 'failed' });
    expect(seen).toEqual([1, 2]);
  });

  test('a fatal error stops at once', async () => {
    const clock = fakeTime();
    const fatal = new Error('That payment was not found.');
    const outcome = await pollUntilSettled({
      check: async () => {
        throw fatal;
      },
      isPending: pending,
      isFatal: (error) => error === fatal,
      ...clock,
    });
    expect(outcome).toEqual({ kind: 'failed', error: fatal });
    expect(clock.sleeps).toEqual([]);
  });

  test('aborting stops the loop, even mid-request', async () => {
    const controller = new AbortController();
    const clock = fakeTime();
    let asked = 0;
    const outcome = await pollUntilSettled({
      check: async () => {
        asked++;
        if (asked === 2) controller.abort();
        return 'pending';
      },
      isPending: pending,
      signal: controller.signal,
      ...clock,
    });
    expect(outcome).toEqual({ kind: 'aborted' });
    expect(asked).toBe(2);
  });

  test('the real sleep wakes up early when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    const outcome = await pollUntilSettled({
      check: async () => 'pending',
      isPending: pending,
      intervalMs: 10_000,
      signal: controller.signal,
    });
    expect(outcome).toEqual({ kind: 'aborted' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
