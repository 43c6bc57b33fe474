import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestStream, createTestUser, type TestDeps } from '@app/core/testing';
import { streamGoals } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

// goals.* through the API: every procedure × every role, and bad input refused with a sentence, nothing stored.

type Role = 'anonymous' | 'viewer' | 'otherStreamer' | 'owner' | 'moderator' | 'admin';
const ROLES: Role[] = ['anonymous', 'viewer', 'otherStreamer', 'owner', 'moderator', 'admin'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT' | 'NOT_FOUND';

let deps: TestDeps;
let callers: Record<Role, Awaited<ReturnType<typeof callerFor>>['caller']>;
let ownerStream: { id: string };

beforeAll(async () => {
  deps = await createTestDeps();
  const users = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => {
        if (role === 'anonymous') return [role, null] as const;
        const platformRole = role === 'owner' || role === 'otherStreamer' ? 'streamer' : role;
        return [role, await createTestUser(deps, { role: platformRole, ageVerified: true })] as const;
      }),
    ),
  );
  ownerStream = await createTestStream(deps, users.owner!.user.id);
  await createTestStream(deps, users.otherStreamer!.user.id);
  callers = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => [role, (await callerFor(deps, users[role]?.token ?? null)).caller] as const),
    ),
  ) as typeof callers;
});
afterAll(() => deps.database.drop());

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code as Outcome;
    throw error;
  }
}

async function goalsOf(streamId: string) {
  const [row] = await deps.db
    .select({ n: count() })
    .from(streamGoals)
    .where(eq(streamGoals.streamId, streamId));
  return row!.n;
}

/** A fresh goal of the owner's, queued behind the first so each call has its own. */
const ownersGoal = async () =>
  callers.owner.goals.create({ title: `Goal ${crypto.randomUUID().slice(0, 6)}`, targetTokens: 500 });

describe('goals × roles', () => {
  test('create: streamers on their own stream; others are told why', async () => {
    const expected: Record<Role, Outcome> = {
      anonymous: 'UNAUTHORIZED',
      viewer: 'FORBIDDEN',
      // Their own stream: it does not touch the owner's.
      otherStreamer: 'ok',
      owner: 'ok',
      moderator: 'FORBIDDEN',
      // Admins may use streamer tools, but have no stream to put a goal on.
      admin: 'CONFLICT',
    };
    const before = await goalsOf(ownerStream.id);
    for (const role of ROLES) {
      const got = await outcomeOf(callers[role].goals.create({ title: `By ${role}`, targetTokens: 100 }));
      expect([role, got]).toEqual([role, expected[role]]);
    }
    expect(await goalsOf(ownerStream.id)).toBe(before + 1);
  });

  test('update, cancel and reorder: only the stream’s own streamer', async () => {
    const forOthers: Record<Role, Outcome> = {
      anonymous: 'UNAUTHORIZED',
      viewer: 'FORBIDDEN',
      otherStreamer: 'FORBIDDEN',
      owner: 'ok',
      moderator: 'FORBIDDEN',
      admin: 'FORBIDDEN',
    };
    for (const role of ROLES) {
      const goal = await ownersGoal();
      const updated = await outcomeOf(callers[role].goals.update({ goalId: goal.id, title: 'Renamed' }));
      expect([role, 'update', updated]).toEqual([role, 'update', forOthers[role]]);
      const queue = (await callers.owner.goals.list({ streamId: ownerStream.id })).queue.map((g) => g.id);
      const reordered = await outcomeOf(callers[role].goals.reorder({ goalIds: queue.reverse() }));
      expect([role, 'reorder', reordered]).toEqual([role, 'reorder', forOthers[role]]);
      const cancelled = await outcomeOf(callers[role].goals.cancel({ goalId: goal.id }));
      expect([role, 'cancel', cancelled]).toEqual([role, 'cancel', forOthers[role]]);
      const after = (await callers.owner.goals.list({ streamId: ownerStream.id })).queue.find(
        (g) => g.id === goal.id,
      );
      expect([role, after?.title ?? 'gone']).toEqual([role, role === 'owner' ? 'gone' : goal.title]);
      if (role !== 'owner') await callers.owner.goals.cancel({ goalId: goal.id });
    }
  });

  test('list: anyone who may see the stream; a draft only its streamer', async () => {
    for (const role of ROLES) {
      const got = await callers[role].goals.list({ streamId: ownerStream.id });
      expect(got.active?.title).toBe('By owner');
    }
    const draftOwner = await createTestUser(deps, { role: 'streamer' });
    const draft = await createTestStream(deps, draftOwner.user.id, { status: 'draft' });
    expect(await outcomeOf(callers.viewer.goals.list({ streamId: draft.id }))).toBe('NOT_FOUND');
    const own = (await callerFor(deps, draftOwner.token)).caller;
    expect(await outcomeOf(own.goals.create({ title: 'Before going live', targetTokens: 10 }))).toBe('ok');
    expect((await own.goals.list({ streamId: draft.id })).active?.title).toBe('Before going live');
  });
});

describe('bad input', () => {
  test('is refused with a sentence and stores nothing', async () => {
    const owner = callers.owner.goals;
    const before = await goalsOf(ownerStream.id);
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ['target 0', () => owner.create({ title: 'Zero', targetTokens: 0 }), 'at least 1 token'],
      ['negative target', () => owner.create({ title: 'Minus', targetTokens: -50 }), 'at least 1 token'],
      ['fractional target', () => owner.create({ title: 'Half', targetTokens: 1.5 }), 'whole tokens'],
      ['huge target', () => owner.create({ title: 'Moon', targetTokens: 10_000_001 }), 'at most 10,000,000'],
      ['10 KB title', () => owner.create({ title: 'x'.repeat(10_240), targetTokens: 10 }), 'at most 80'],
      ['empty title', () => owner.create({ title: '   ', targetTokens: 10 }), 'Give the goal a title'],
      [
        'deadline in the past',
        () => owner.create({ title: 'Late', targetTokens: 10, deadlineAt: new Date(Date.now() - 60_000) }),
        'in the future',
      ],
      [
        'deadline too far',
        () =>
          owner.create({
            title: 'Far',
            targetTokens: 10,
            deadlineAt: new Date(Date.now() + 40 * 86_400_000),
          }),
        'within 30 days',
      ],
      ['not a goal id', () => owner.cancel({ goalId: 'nope' }), 'not a goal id'],
    ];
    for (const [name, call, sentence] of cases) {
      const error = await call().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect([name, error instanceof TRPCError ? error.code : error]).toEqual([name, 'BAD_REQUEST']);
      expect([name, (error as TRPCError).message]).toEqual([name, expect.stringContaining(sentence)]);
    }
    const goal = await ownersGoal();
    const update = await outcomeOf(owner.update({ goalId: goal.id, targetTokens: 0 }));
    expect(update).toBe('BAD_REQUEST');
    expect(
      (await owner.list({ streamId: ownerStream.id })).queue.find((g) => g.id === goal.id),
    ).toMatchObject({
      targetTokens: 500,
    });
    await owner.cancel({ goalId: goal.id });
    expect(await goalsOf(ownerStream.id)).toBe(before + 1);
    expect(await outcomeOf(owner.cancel({ goalId: crypto.randomUUID() }))).toBe('NOT_FOUND');
    expect(await outcomeOf(owner.cancel({ goalId: goal.id }))).toBe('CONFLICT');
  });
});
