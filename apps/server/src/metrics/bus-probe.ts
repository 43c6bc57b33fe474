import type { EventBus } from '@app/core';

/** How often each node sends itself a probe through the bus. */
const PROBE_EVERY_MS = 5_000;

export type BusProbe = { stop: () => void };

/**
 * The event bus's lag as this node sees it: every few seconds it publishes a probe on the `nodes` topic (which
 * only probes use) and times how long its own probe takes to come back, through Redis on a cluster or in process
 * without it. Other nodes' probes are ignored.
 */
export function startBusProbe(
  bus: EventBus,
  observe: (seconds: number) => void,
  everyMs = PROBE_EVERY_MS,
): BusProbe {
  const node = crypto.randomUUID();
  const stopListening = bus.subscribe('nodes', (event) => {
    if (event.type !== 'bus.probe' || event.node !== node || typeof event.sentAt !== 'number') return;
    observe(Math.max(0, performance.timeOrigin + performance.now() - event.sentAt) / 1000);
  });
  const timer = setInterval(() => {
    const sentAt = performance.timeOrigin + performance.now();
    bus.publish('nodes', { type: 'bus.probe', node, sentAt }).catch(() => {});
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      stopListening();
    },
  };
}
