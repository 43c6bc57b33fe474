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
    clock.advance(0.4);
    expect(await reads.get('k', [], async () => 'second')).toBe('first');
    clock.advance(0.7);
    expect(await reads.get('k', [], async () => 'second')).toBe('second');
  });

  test('past half its life an answer is loaded again while it is still served', async () => {
    const { clock, reads } = await cache();
    await reads.get('k', [], async () => 'first');
    clock.advance(0.6);
    const refresh = loader();
    expect(await reads.get('k', [], refresh.load)).toBe('first');
    expect(await reads.get('k', [], refresh.load)).toBe('first');
    expect(refresh.started()).toBe(1);
    refresh.finish('second');
    await Promise.resolve();
    // Still inside the first answer's second: the refreshed one is served, and young enough to need no refresh.
    clock.advance(0.3);
    const unused = loader();
    expect(await reads.get('k', [], unused.load)).toBe('second');
    expect(unused.started()).toBe(0);
  });

  test('past its life an answer is served only while its refresh loads, never past twice its life', async () => {
    const { clock, reads } = await cache();
    await reads.get('k', [], async () => 'first');
    clock.advance(0.6);
    const refresh = loader();
    expect(await reads.get('k', [], refresh.load)).toBe('first');
    clock.advance(0.6);
    expect(await reads.get('k', [], refresh.load)).toBe('first');
    clock.advance(0.9);
    const waiting = reads.get('k', [], refresh.load);
    refresh.finish('second');
    expect(await waiting).toBe('second');
    expect(refresh.started()).toBe(1);
  });

  test('an expired answer is not served once a change it depends on was announced', async () => {
    const { bus, clock, reads } = await cache();
    await reads.get('k', ['streams'], async () => 'first');
    clock.advance(0.6);
    const refresh = loader();
    expect(await reads.get('k', ['streams'], refresh.load)).toBe('first');
    await announceReadsChanged({ bus, reads }, ['streams']);
    expect(await reads.get('k', ['streams'], async () => 'after the change')).toBe('after the change');
    refresh.finish('from before the change');
    await Promise.resolve();
    expect(await reads.get('k', ['streams'], async () => 'unused')).toBe('after the change');
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
