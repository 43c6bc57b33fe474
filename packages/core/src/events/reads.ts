import type { CoreDeps } from '../kernel/deps.ts';
import type { BusEvent, PublicChange, Topic } from '../kernel/ports.ts';

// The `reads` topic: what the answers every visitor shares are built on changed. Every node's read cache listens.

export const READS_TOPIC = 'reads' as const satisfies Topic;

export type ReadsChangedEvent = {
  type: 'reads.changed';
  changes: PublicChange[];
  /** The node that announced it (its read cache forgot at once), or null from a node without one. */
  origin: string | null;
};

const CHANGES = new Set<string>(['streams', 'boards'] satisfies PublicChange[]);

/**
 * After commit: this node's cached answers built on `changes` are forgotten at once, every other node's when the
 * bus brings them the event.
 */
export async function announceReadsChanged(
  deps: Pick<CoreDeps, 'bus' | 'reads'>,
  changes: readonly PublicChange[],
): Promise<void> {
  deps.reads?.invalidate(changes);
  const event: ReadsChangedEvent = {
    type: 'reads.changed',
    changes: [...changes],
    origin: deps.reads?.origin ?? null,
  };
  await deps.bus.publish(READS_TOPIC, event);
}

/** The event as any node sent it (JSON over Redis), or null when it is not one. */
export function toReadsChanged(raw: BusEvent): ReadsChangedEvent | null {
  if (raw.type !== 'reads.changed' || !Array.isArray(raw.changes)) return null;
  const changes = raw.changes.filter((change): change is PublicChange => CHANGES.has(change));
  return { type: 'reads.changed', changes, origin: typeof raw.origin === 'string' ? raw.origin : null };
}
