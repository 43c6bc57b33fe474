import { describe, expect, test } from 'bun:test';
import { type RefreshEnvironment, refreshWhileVisible, throttle } from './live-refresh.ts';

/** Timers that run only when the test moves the clock, and a page the test shows and hides. */
function fakeEnvironment() {
  let time = 0;
  let visible = true;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const listeners = new Set<() => void>();
  const env: RefreshEnvironment = {
    setTimeout: (run, ms) => {
      timers.set(++nextId, { at: time + ms, run });
      return nextId;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    now: () => time,
    visible: () => visible,
    onVisibilityChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    env,
    pending: () => timers.size,
    async advance(ms: number) {
      const until = time + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, timer]) => timer.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        time = due[1].at;
        due[1].run();
        // Let a refresh's promise settle before the next timer.
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      time = until;
    },
    async show(next: boolean) {
      visible = next;
      for (const listener of listeners) listener();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('refreshWhileVisible', () => {
  test('asks every interval while the page is visible, not while it is hidden, and at once when shown again', async () => {
    const fake = fakeEnvironment();
    let asked = 0;
    const stop = refreshWhileVisible(async () => void asked++, 5_000, fake.env);
    await fake.advance(15_000);
    expect(asked).toBe(3);
    await fake.show(false);
    await fake.advance(60_000);
    expect(asked).toBe(3);
    await fake.show(true);
    expect(asked).toBe(4);
    await fake.advance(5_000);
    expect(asked).toBe(5);
    stop();
    await fake.advance(60_000);
    expect(asked).toBe(5);
    expect(fake.pending()).toBe(0);
  });

  test('a failed refresh does not stop the next ones', async () => {
    const fake = fakeEnvironment();
    let asked = 0;
    const stop = refreshWhileVisible(
      async () => {
        asked++;
        throw new Error('offline');
      },
      1_000,
      fake.env,
    );
    await fake.advance(3_000);
    expect(asked).toBe(3);
    stop();
  });
});

describe('throttle', () => {
  test('runs the first call at once and collapses a burst into one run at the end of the window', async () => {
    const fake = fakeEnvironment();
    let runs = 0;
    const throttled = throttle(() => void runs++, 2_000, { env: fake.env });
    throttled.call();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) throttled.call();
    expect(runs).toBe(1);
    await fake.advance(2_000);
    expect(runs).toBe(2);
    await fake.advance(10_000);
    expect(runs).toBe(2);
    throttled.call();
    expect(runs).toBe(3);
    throttled.call();
    throttled.cancel();
    await fake.advance(10_000);
    expect(runs).toBe(3);
  });

  test('with a delay, a burst runs once, the delay after its first call', async () => {
    const fake = fakeEnvironment();
    let runs = 0;
    const throttled = throttle(() => void runs++, 2_000, { delayMs: 800, env: fake.env });
    throttled.call();
    await fake.advance(500);
    throttled.call();
    expect(runs).toBe(0);
    await fake.advance(300);
    expect(runs).toBe(1);
    // The next one waits for the window, not only the delay.
    throttled.call();
    await fake.advance(800);
    expect(runs).toBe(1);
    await fake.advance(1_200);
    expect(runs).toBe(2);
  });
});
