import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { RedisClient } from 'bun';
import type { BusEvent, EventBus } from '../kernel/ports.ts';
import { createMemoryBus, createRedisBus } from './bus.ts';
import { connectRedis } from './redis.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function nextEvent(bus: EventBus, topic: `stream:${string}`): Promise<BusEvent> {
  return new Promise((resolve) => {
    const off = bus.subscribe(topic, (event) => {
      off();
      resolve(event);
    });
  });
}

describe('in-process bus', () => {
  test('delivers to the topic’s listeners only, and stops after unsubscribe', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    const off = bus.subscribe('stream:a', (event) => seen.push(event.type));
    bus.subscribe('stream:b', (event) => seen.push(`b:${event.type}`));
    await bus.publish('stream:a', { type: 'tip' });
    off();
    await bus.publish('stream:a', { type: 'late' });
    expect(seen).toEqual(['tip']);
  });

  test('each listener of a topic hears it until it leaves, whichever leaves first', async () => {
    const bus = createMemoryBus();
    const seen: string[] = [];
    const first = (event: BusEvent) => seen.push(`1:${event.type}`);
    const offFirst = bus.subscribe('stream:a', first);
    const offSecond = bus.subscribe('stream:a', (event) => seen.push(`2:${event.type}`));
    await bus.publish('stream:a', { type: 'both' });
    offFirst();
    await bus.publish('stream:a', { type: 'second' });
    offSecond();
    await bus.publish('stream:a', { type: 'nobody' });
    const offAgain = bus.subscribe('stream:a', first);
    await bus.publish('stream:a', { type: 'again' });
    offAgain();
    expect(seen).toEqual(['1:both', '2:both', '2:second', '1:again']);
  });
});

describe('Redis bus (real Redis)', () => {
  let publisherA: RedisClient;
  let publisherB: RedisClient;
  let nodeA: EventBus;
  let nodeB: EventBus;
  const prefix = `lumen-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    publisherA = await connectRedis(REDIS_URL);
    publisherB = await connectRedis(REDIS_URL);
    nodeA = await createRedisBus(publisherA, prefix);
    nodeB = await createRedisBus(publisherB, prefix);
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    publisherA.close();
    publisherB.close();
  });

  test('an event published on one node reaches a listener on another', async () => {
    const received = nextEvent(nodeB, 'stream:shared');
    await Bun.sleep(50);
    await nodeA.publish('stream:shared', { type: 'tip', amountTokens: 25 });
    expect(await received).toEqual({ type: 'tip', amountTokens: 25 });
  });
});
