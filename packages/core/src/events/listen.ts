import type { BusEvent, EventBus, Topic } from '../kernel/ports.ts';

/** Bus events of one topic as an async queue that exists before anything is read from the database. */
export function listen(bus: EventBus, topic: Topic, signal?: AbortSignal) {
  const queue: BusEvent[] = [];
  let wake: (() => void) | null = null;
  const stop = bus.subscribe(topic, (event) => {
    queue.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    ready: bus.ready(topic),
    /** The next event, or null once aborted. */
    async next(): Promise<BusEvent | null> {
      while (queue.length === 0) {
        if (signal?.aborted) return null;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      return signal?.aborted ? null : queue.shift()!;
    },
    /** The next queued event without waiting, or null. */
    take(): BusEvent | null {
      return queue.shift() ?? null;
    },
    close() {
      stop();
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
