/** Timers and page visibility, injected by tests. */
export type RefreshEnvironment = {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (timer: unknown) => void;
  now: () => number;
  /** Whether the page is on screen; without a document it always is. */
  visible: () => boolean;
  /** Calls `listener` when the page is shown or hidden; returns how to stop. */
  onVisibilityChange: (listener: () => void) => () => void;
};

export function browserEnvironment(): RefreshEnvironment {
  const hasDocument = typeof document !== 'undefined';
  return {
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    visible: () => !hasDocument || document.visibilityState === 'visible',
    onVisibilityChange: (listener) => {
      if (!hasDocument) return () => {};
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

/**
 * Runs `refresh` every `intervalMs` while the page is visible (one run at a time: the next wait starts when a run
 * ends), and once right away when a hidden page is shown again. Returns how to stop.
 */
export function refreshWhileVisible(
  refresh: () => Promise<unknown>,
  intervalMs: number,
  env: RefreshEnvironment = browserEnvironment(),
): () => void {
  let timer: unknown = null;
  let running = false;
  let stopped = false;
  const schedule = () => {
    if (stopped || timer !== null || running || !env.visible()) return;
    timer = env.setTimeout(run, intervalMs);
  };
  const run = () => {
    timer = null;
    if (stopped || !env.visible()) return;
    running = true;
    void refresh()
      .catch(() => {})
      .finally(() => {
        running = false;
        schedule();
      });
  };
  const stopWatching = env.onVisibilityChange(() => {
    if (!env.visible()) {
      if (timer !== null) env.clearTimeout(timer);
      timer = null;
    } else if (timer === null && !running) run();
  });
  schedule();
  return () => {
    stopped = true;
    stopWatching();
    if (timer !== null) env.clearTimeout(timer);
    timer = null;
  };
}

/**
 * Calls `run` `delayMs` after a call and at most once per `ms`: calls while a run is waiting join it. `cancel`
 * drops a waiting run. (A tip reaches the room before the projector moved the boards: the delay lets it.)
 */
export function throttle(
  run: () => void,
  ms: number,
  options: { delayMs?: number; env?: Pick<RefreshEnvironment, 'setTimeout' | 'clearTimeout' | 'now'> } = {},
): { call: () => void; cancel: () => void } {
  const env = options.env ?? browserEnvironment();
  const delayMs = options.delayMs ?? 0;
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  const fire = () => {
    timer = null;
    last = env.now();
    run();
  };
  return {
    call: () => {
      if (timer !== null) return;
      const wait = Math.max(delayMs, last + ms - env.now());
      if (wait <= 0) fire();
      else timer = env.setTimeout(fire, wait);
    },
    cancel: () => {
      if (timer !== null) env.clearTimeout(timer);
      timer = null;
    },
  };
}
