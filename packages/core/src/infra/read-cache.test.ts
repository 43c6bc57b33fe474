import { describe, expect, test } from 'bun:test';
import { announceReadsChanged } from '../events/reads.ts';
import { manualClock } from '../testing.ts';
import { createMemoryBus } from './bus.ts';
import { createReadCache } from './read-cache.ts';

// The read cache's own promises: what a caller gets when loads, changes and the clock interleave.

/** A load the test finishes by hand, counting how often it was started. */
function loader() {
  let started = 0;
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const load = () => {
    started += 1;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return {
    load,
    started: () => started,
    finish: (value: string) => finish(value),
    fail: (error: Error) => fail(error),
  };
}

async function cache(options: { maxEntries?: number } = {}) {
  const bus = createMemoryBus();
  const clock = manualClock();
  const reads = await createReadCache(bus, clock, options);
  return { bus, clock, reads };
}

describe('read cache', () => {
  test('a load that a change overtook is handed to its callers but not kept, and nobody joins it after', async () => {
    const { bus, reads } = await cache();
    const first = loader();
    const before = reads.get('k', ['streams'], first.load);
    const joined = reads.get('k', ['streams'], first.load);
    await announceReadsChanged({ bus, reads }, ['streams']);
    const second = loader();
    const after = reads.get('k', ['streams'], second.load);
    first.finish('old');
    second.finish('new');
    expect(await before).toBe('old');
    expect(await joined).toBe('old');
    expect(await after).toBe('new');
    expect(await reads.get('k', ['streams'], loader().load)).toBe('new');
    expect(first.started()).toBe(1);
  });

  test('a change forgets only the answers built on it', async () => {
    const { bus, reads } = await cache();
    await reads.get('stream', ['streams'], async () => 'a');
    await reads.get('board', ['boards'], async () => 'b');
    await reads.get('tree', [], async () => 'c');
    await announceReadsChanged({ bus, reads }, ['boards']);
    expect(await reads.get('stream', ['streams'], async () => 'A')).toBe('a');
    expect(await reads.get('board', ['boards'], async () => 'B')).toBe('B');
    expect(await reads.get('tree', [], async () => 'C')).toBe('c');
  });

  test('another node’s announcement reaches this cache through the bus', async () => {
    const { bus, reads } = await cache();
    await reads.get('stream', ['streams'], async () => 'a');
    await announceReadsChanged({ bus, reads: null }, ['streams']);
    expect(await reads.get('stream', ['streams'], async () => 'A')).toBe('A');
  });

  test('an answer lives for about a second of the clock', async () => {
    const { clock, reads } = await cache();
    await reads.get('k', [], async () => 'first');
    clock.advance(0.9);
    expect(await reads.get('k', [], async () => 'second')).toBe('first');
    clock.advance(0.2);
    expect(await reads.get('k', [], async () => 'second')).toBe('second');
  });

  test('a failed load is not kept: the next caller loads again', async () => {
    const { reads } = await cache();
    const failing = loader();
    const both = [reads.get('k', [], failing.load), reads.get('k', [], failing.load)];
    failing.fail(new Error('Postgres went away'));
    for (const call of both) await expect(call).rejects.toThrow('Postgres went away');
    expect(failing.started()).toBe(1);
    expect(await reads.get('k', [], async () => 'back')).toBe('back');
  });

  test('it holds at most its bound, forgetting the oldest answer first', async () => {
    const { reads } = await cache({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await reads.get(key, [], async () => key);
    expect(reads.stats().entries).toBe(2);
    expect(await reads.get('a', [], async () => 'a again')).toBe('a again');
    expect(await reads.get('c', [], async () => 'c again')).toBe('c');
  });
});
