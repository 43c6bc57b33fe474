import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import { contentFilters, moderationLogs } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

// filters.* through the API: every procedure × every role, and bad input refused with a sentence, nothing stored.

type Role = 'anonymous' | 'banned' | 'viewer' | 'streamer' | 'owner' | 'moderator' | 'admin';
const ROLES: Role[] = ['anonymous', 'banned', 'viewer', 'streamer', 'owner', 'moderator', 'admin'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST';

let deps: TestDeps;
let owner: Awaited<ReturnType<typeof createTestUser>>;
let streamId: string;
let adminToken: string;
beforeAll(async () => {
  deps = await createTestDeps();
  owner = await createTestUser(deps, { role: 'streamer' });
  streamId = (await createTestStream(deps, owner.user.id)).id;
  adminToken = (await createTestUser(deps, { role: 'admin' })).token;
});
afterAll(() => deps.database.drop());

async function callerAs(role: Role) {
  if (role === 'anonymous') return (await callerFor(deps, null)).caller;
  if (role === 'owner') return (await callerFor(deps, owner.token)).caller;
  const { token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
  });
  return (await callerFor(deps, token)).caller;
}
type Caller = Awaited<ReturnType<typeof callerAs>>;

const platform = { kind: 'platform' as const };
const roomScope = () => ({ kind: 'room' as const, streamId });
const refusedBut = (allowed: Role[]): Record<Role, Outcome> => ({
  anonymous: 'UNAUTHORIZED',
  banned: 'UNAUTHORIZED',
  viewer: allowed.includes('viewer') ? 'ok' : 'FORBIDDEN',
  streamer: allowed.includes('streamer') ? 'ok' : 'FORBIDDEN',
  owner: allowed.includes('owner') ? 'ok' : 'FORBIDDEN',
  moderator: allowed.includes('moderator') ? 'ok' : 'FORBIDDEN',
  admin: allowed.includes('admin') ? 'ok' : 'FORBIDDEN',
});

const MATRIX: Array<[string, (c: Caller) => Promise<unknown>, Record<Role, Outcome>]> = [
  ['filters.get (platform)', (c) => c.filters.get({ scope: platform }), refusedBut(['admin'])],
  ['filters.get (room)', (c) => c.filters.get({ scope: roomScope() }), refusedBut(['owner', 'admin'])],
  [
    'filters.update (platform)',
    (c) => c.filters.update({ scope: platform, terms: [{ word: 'matrix', mode: 'mask' }] }),
    refusedBut(['admin']),
  ],
  [
    'filters.update (room)',
    (c) => c.filters.update({ scope: roomScope(), terms: [{ word: 'matrix', mode: 'block' }] }),
    refusedBut(['owner', 'admin']),
  ],
];

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code as Outcome;
    throw error;
  }
}

describe('who may call each filters procedure', () => {
  for (const [name, call, expected] of MATRIX) {
    test(name, async () => {
      const got: Record<string, Outcome> = {};
      for (const role of ROLES) got[role] = await outcomeOf(call(await callerAs(role)));
      expect(got).toEqual(expected);
    });
  }
});

describe('bad input', () => {
  const storedRows = async () => (await deps.db.select({ n: count() }).from(contentFilters))[0]!.n;
  const logRows = async () =>
    (
      await deps.db
        .select({ n: count() })
        .from(moderationLogs)
        .where(eq(moderationLogs.action, 'update_filters'))
    )[0]!.n;

  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'an empty word',
      { scope: platform, terms: [{ word: '  ', mode: 'mask' }] },
      'A filtered word cannot be empty.',
    ],
    [
      'a 200-character word',
      { scope: platform, terms: [{ word: 'x'.repeat(200), mode: 'mask' }] },
      'A filtered word is at most 100 characters.',
    ],
    [
      'more than 500 words',
      { scope: platform, terms: Array.from({ length: 501 }, (_, i) => ({ word: `word${i}`, mode: 'mask' })) },
      'A list holds at most 500 words.',
    ],
    [
      'an unknown mode',
      { scope: platform, terms: [{ word: 'ok', mode: 'shout' }] },
      'Each word is either blocked or masked.',
    ],
    [
      'a word twice',
      {
        scope: platform,
        terms: [
          { word: 'Same', mode: 'mask' },
          { word: 's4me', mode: 'block' },
        ],
      },
      '“s4me” is in the list twice; keep it once.',
    ],
    [
      'the English list on a room',
      { scope: { kind: 'room', streamId: crypto.randomUUID() }, terms: [], englishPreset: 'mask' },
      'The English word list can be switched on platform-wide only.',
    ],
  ];
  for (const [name, input, sentence] of cases) {
    test(`${name} is refused with a sentence, and nothing is stored or logged`, async () => {
      const caller = (await callerFor(deps, adminToken)).caller;
      const [rowsBefore, logsBefore] = [await storedRows(), await logRows()];
      const error = await caller.filters.update(input as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      expect((error as TRPCError).message).toContain(sentence);
      expect([await storedRows(), await logRows()]).toEqual([rowsBefore, logsBefore]);
    });
  }
});

describe('an admin’s change', () => {
  test('is stored, read back and logged', async () => {
    const caller = (await callerFor(deps, adminToken)).caller;
    const saved = await caller.filters.update({
      scope: platform,
      terms: [{ word: 'Lemon', mode: 'block' }],
      englishPreset: 'mask',
    });
    expect(saved).toMatchObject({ terms: [{ word: 'Lemon', mode: 'block' }], englishPreset: 'mask' });
    expect(await caller.filters.get({ scope: platform })).toMatchObject({ englishPreset: 'mask' });
    const [log] = await deps.db
      .select()
      .from(moderationLogs)
      .where(eq(moderationLogs.action, 'update_filters'))
      .orderBy(moderationLogs.id);
    expect(log).toBeDefined();
    await caller.filters.update({ scope: platform, terms: [] });
  });
});
