import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { claimReport, createReport } from '@app/core';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { reports } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/** Every reports procedure × every role: allowed, or refused with the code a client can act on. */
type Role = 'anonymous' | 'viewer' | 'streamer' | 'moderator' | 'admin' | 'banned';
const ROLES: Role[] = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin', 'banned'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

let deps: TestDeps;
let someone: { id: string; role: 'viewer' };
let moderator: { id: string; role: 'moderator' };

beforeAll(async () => {
  deps = await createTestDeps();
  const user = (await createTestUser(deps)).user;
  someone = { id: user.id, role: 'viewer' };
  moderator = { id: (await createTestUser(deps, { role: 'moderator' })).user.id, role: 'moderator' };
});
afterAll(() => deps.database.drop());

async function actAs(role: Role) {
  if (role === 'anonymous') return { ...(await callerFor(deps, null)), user: null };
  const { user, token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
  });
  return { ...(await callerFor(deps, token)), user };
}
type Actor = Awaited<ReturnType<typeof actAs>>;

/** A fresh open report about `someone`, filed by a new viewer. */
async function openReport() {
  const { user } = await createTestUser(deps);
  return createReport(
    deps,
    { id: user.id, role: 'viewer' },
    { kind: 'user', userId: someone.id, reason: 'spam' },
  );
}

const signedIn: Record<Role, Outcome> = {
  anonymous: 'UNAUTHORIZED',
  banned: 'UNAUTHORIZED',
  viewer: 'ok',
  streamer: 'ok',
  moderator: 'ok',
  admin: 'ok',
};
const staffOnly: Record<Role, Outcome> = {
  ...signedIn,
  viewer: 'FORBIDDEN',
  streamer: 'FORBIDDEN',
};

const MATRIX: Array<[string, (actor: Actor) => Promise<unknown>, Record<Role, Outcome>]> = [
  [
    'reports.create',
    ({ caller }) => caller.reports.create({ kind: 'user', userId: someone.id, reason: 'harassment' }),
    signedIn,
  ],
  ['reports.mine', ({ caller }) => caller.reports.mine({}), signedIn],
  ['admin.reports.list', ({ caller }) => caller.admin.reports.list({}), staffOnly],
  [
    'admin.reports.claim',
    async ({ caller }) => caller.admin.reports.claim({ reportId: (await openReport()).id }),
    staffOnly,
  ],
  [
    'admin.reports.resolve',
    async ({ caller, user }) => {
      const { id } = await openReport();
      // Staff resolve what they claimed; everyone else tries a report a moderator holds.
      const staff = user && (user.role === 'moderator' || user.role === 'admin');
      await claimReport(deps, staff ? { id: user.id, role: user.role } : moderator, {
        reportId: id,
        takeOver: false,
      });
      return caller.admin.reports.resolve({ reportId: id, action: 'dismiss' });
    },
    staffOnly,
  ],
];

describe('reports procedure × role', () => {
  for (const [name, call, expected] of MATRIX) {
    for (const role of ROLES) {
      test(`${name} as ${role}: ${expected[role]}`, async () => {
        const actor = await actAs(role);
        const outcome = await call(actor).then(
          () => 'ok',
          (error) => (error instanceof TRPCError ? error.code : `unexpected ${error}`),
        );
        expect(outcome).toBe(expected[role]);
      });
    }
  }
});

describe('bad reports get a sentence a person can act on and store nothing', () => {
  const stored = async (reporterId: string) =>
    (await deps.db.select({ n: count() }).from(reports).where(eq(reports.reporterId, reporterId)))[0]!.n;

  test.each([
    [
      'an unknown user',
      { kind: 'user', userId: crypto.randomUUID(), reason: 'spam' },
      'NOT_FOUND',
      'That user was not found.',
    ],
    [
      'an unknown message',
      { kind: 'message', messageId: 99_999_999, reason: 'spam' },
      'NOT_FOUND',
      'That chat message was not found.',
    ],
    [
      'an unknown stream',
      { kind: 'stream', streamId: crypto.randomUUID(), reason: 'spam' },
      'NOT_FOUND',
      'That stream was not found.',
    ],
    [
      'a 10 KB note',
      { kind: 'user', userId: '$someone', reason: 'spam', note: 'x'.repeat(10_000) },
      'BAD_REQUEST',
      'Keep the note to 1000 characters or fewer.',
    ],
    [
      'an unknown reason',
      { kind: 'user', userId: '$someone', reason: 'boring' },
      'BAD_REQUEST',
      'Pick a reason from the list.',
    ],
    [
      'no kind',
      { userId: '$someone', reason: 'spam' },
      'BAD_REQUEST',
      'Say whether you are reporting a person, a message or a stream.',
    ],
    [
      'yourself',
      { kind: 'user', userId: '$me', reason: 'spam' },
      'BAD_REQUEST',
      'You cannot report yourself.',
    ],
  ])('%s', async (_name, raw, code, message) => {
    const { caller, user } = await actAs('viewer');
    const input = JSON.parse(
      JSON.stringify(raw).replace('$someone', someone.id).replace('$me', user!.id),
    ) as never;
    const error = await caller.reports.create(input).catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
    expect(await stored(user!.id)).toBe(0);
  });

  test('a second report of the same person while the first is open is a clear CONFLICT', async () => {
    const { caller, user } = await actAs('viewer');
    await caller.reports.create({ kind: 'user', userId: someone.id, reason: 'spam' });
    const again = await caller.reports
      .create({ kind: 'user', userId: someone.id, reason: 'other' })
      .catch((e) => e);
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('You have already reported this.');
    expect(await stored(user!.id)).toBe(1);
  });

  test('a queue filter that contradicts its view is refused in words', async () => {
    const { caller } = await actAs('moderator');
    const error = await caller.admin.reports.list({ view: 'queue', state: 'resolved' }).catch((e) => e);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(
      'The queue holds open and in-review reports; the history holds resolved and dismissed ones.',
    );
  });
});
