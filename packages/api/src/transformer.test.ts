import { describe, expect, test } from 'bun:test';
import superjson from 'superjson';
import { serializeFast, transformer } from './transformer.ts';

/** What the client reads: the value after the wire (JSON) and superjson's deserialize. */
const overTheWire = (serialized: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serialized)));

const SAMPLES: Record<string, unknown> = {
  'a stream page': {
    items: [
      {
        id: '0d7c',
        title: 'Night drive. With a dot.',
        startedAt: new Date('2026-12-01T23:59:59.999Z'),
        tags: ['lofi', 'chill'],
        viewers: 12,
        streamer: { username: 'nadia', level: { level: 12, league: 'bronze' }, avatarUrl: null },
        note: undefined,
      },
    ],
    nextCursor: null,
  },
  'a Date at the root': new Date('2026-01-01T00:00:00.000Z'),
  nothing: undefined,
  null: null,
  'a number': 42,
  'keys with dots and backslashes': { 'a.b': { 'c\\d': new Date(0) }, list: [new Date(1), null, undefined] },
  'an empty object and array': { a: {}, b: [] },
};

describe('the transformer', () => {
  for (const [name, value] of Object.entries(SAMPLES)) {
    test(`${name} arrives as superjson would deliver it`, () => {
      expect(overTheWire(transformer.serialize(value))).toStrictEqual(
        overTheWire(superjson.serialize(value)),
      );
      expect(overTheWire(transformer.serialize(value))).toStrictEqual(value);
    });
  }

  test('Dates arrive as Dates at the same instant', () => {
    const read = overTheWire(
      transformer.serialize({ at: [{ when: new Date('2026-12-04T10:00:00.123Z') }] }),
    ) as {
      at: { when: Date }[];
    };
    expect(read.at[0]!.when).toBeInstanceOf(Date);
    expect(read.at[0]!.when.toISOString()).toBe('2026-12-04T10:00:00.123Z');
  });

  test('a value JSON cannot carry is left to superjson, and arrives whole', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const exotic = {
      map: new Map([['a', 1]]),
      set: new Set([1, 2]),
      big: 10n ** 20n,
      notANumber: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      invalidDate: new Date('nope'),
    };
    for (const [key, value] of Object.entries(exotic)) {
      expect(serializeFast({ [key]: value })).toBeNull();
      expect(transformer.serialize({ [key]: value })).toStrictEqual(superjson.serialize({ [key]: value }));
    }
    expect(serializeFast(circular)).toBeNull();
    const read = overTheWire(transformer.serialize(circular)) as Record<string, unknown>;
    expect(read.self).toBe(read);
  });

  test('plain data goes out as it is, without a copy', () => {
    const value = { items: [{ id: 1, title: 'x' }] };
    const serialized = transformer.serialize(value) as { json: unknown; meta?: unknown };
    expect(serialized.json).toBe(value);
    expect(serialized.meta).toBeUndefined();
  });

  test('a key that could pollute a prototype is refused as superjson refuses it', () => {
    const hostile = JSON.parse('{"__proto__": {"admin": true}}');
    expect(() => transformer.serialize(hostile)).toThrow();
  });
});
