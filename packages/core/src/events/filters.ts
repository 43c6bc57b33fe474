import type { EventBus, Topic } from '../kernel/ports.ts';

// The `filters` topic: between server nodes only, never delivered to a browser.

/** Every node's word filter cache listens here. */
export const FILTERS_TOPIC = 'filters' as const satisfies Topic;

/** A word list changed and committed: each node drops its compiled matcher for that list and rebuilds on use. */
export type FiltersChangedEvent = {
  type: 'filters.changed';
  /** Null: the platform's list; otherwise the channel (streamer id) whose rooms it filters. */
  channelId: string | null;
};

export function publishFiltersChanged(bus: EventBus, channelId: string | null): Promise<void> {
  return bus.publish(FILTERS_TOPIC, { type: 'filters.changed', channelId } satisfies FiltersChangedEvent);
}
