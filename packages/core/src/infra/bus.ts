import type { RedisClient } from 'bun';
import type { BusEvent, EventBus, EventHandler } from '../kernel/ports.ts';

/** Bounds what one topic may hold: more listeners than this is a leak, not an audience. */
const MAX_LISTENERS_PER_TOPIC = 100_000;

/**
 * Listeners by topic. A topic with one listener (a user's own topic, one per signed-in socket) holds the
 * function itself: a `Set` costs about 400 bytes more, for thousands of sockets.
 */
function createRegistry() {
  const handlers = new Map<string, EventHandler | Set<EventHandler>>();
  return {
    /** True when the topic had no listener before. */
    add(topic: string, handler: EventHandler): boolean {
      const held = handlers.get(topic);
      if (!held) {
        handlers.set(topic, handler);
        return true;
      }
      if (typeof held === 'function') {
        if (held !== handler) handlers.set(topic, new Set([held, handler]));
        return false;
      }
      if (held.size >= MAX_LISTENERS_PER_TOPIC) throw new Error(`Too many listeners on ${topic}.`);
      held.add(handler);
      return false;
    },
    /** True when the topic has no listener left. */
    remove(topic: string, handler: EventHandler): boolean {
      const held = handlers.get(topic);
      if (!held) return false;
      if (typeof held === 'function') {
        if (held !== handler) return false;
        handlers.delete(topic);
        return true;
      }
      held.delete(handler);
      if (held.size > 0) return false;
      handlers.delete(topic);
      return true;
    },
    deliver(topic: string, event: BusEvent) {
      const held = handlers.get(topic);
      if (!held) return;
      for (const handler of typeof held === 'function' ? [held] : held) {
        try {
          handler(event);
        } catch {
          // One broken listener must not stop the others.
        }
      }
    },
  };
}

export function createMemoryBus(): EventBus {
  const registry = createRegistry();
  return {
    publish: async (topic, event) => {
      registry.deliver(topic, event);
    },
    subscribe: (topic, handler) => {
      registry.add(topic, handler);
      return () => {
        registry.remove(topic, handler);
      };
    },
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * Redis pub/sub: `publisher` is a normal connection; a duplicate connection subscribes (a subscribing connection
 * can do nothing else). Each node subscribes to a Redis channel once, however many local listeners it has.
 */
/** A subscription that fails because the node is closing has nothing left to deliver to. */
const ignore = () => {};

export async function createRedisBus(publisher: RedisClient, channelPrefix = 'lumen:'): Promise<EventBus> {
  const subscriber = await publisher.duplicate();
  const registry = createRegistry();
  /** The SUBSCRIBE in flight (or done) per topic. */
  const subscribed = new Map<string, Promise<void>>();
  const onMessage = (message: string, channel: string) => {
    registry.deliver(channel.slice(channelPrefix.length), JSON.parse(message) as BusEvent);
  };
  return {
    publish: async (topic, event) => {
      await publisher.publish(`${channelPrefix}${topic}`, JSON.stringify(event));
    },
    subscribe: (topic, handler) => {
      if (registry.add(topic, handler)) {
        subscribed.set(
          topic,
          subscriber.subscribe(`${channelPrefix}${topic}`, onMessage).then(() => undefined, ignore),
        );
      }
      return () => {
        if (registry.remove(topic, handler)) {
          subscribed.delete(topic);
          subscriber.unsubscribe(`${channelPrefix}${topic}`).catch(ignore);
        }
      };
    },
    ready: async (topic) => {
      await subscribed.get(topic);
    },
    close: async () => {
      subscriber.close();
    },
  };
}
