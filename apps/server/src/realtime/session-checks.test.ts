import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, manualClock, type TestDeps } from '@app/core/testing';
import { sessions, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { createSessionChecks } from './session-checks.ts';

let deps: TestDeps;
const clock = manualClock();

beforeAll(async () => {
  deps = await createTestDeps({ clock, sessions: { inactivitySeconds: 3600 } });
});
afterAll(() => deps.database.drop());

/** The same dependencies, counting the queries that read sessions. */
function counted() {
  const reads = { count: 0 };
  const db = new Proxy(deps.db, {
    get(target, property) {
      if (property === 'select') reads.count += 1;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { reads, deps: { ...deps, db } };
}

describe('the per-call session checks of sockets', () => {
  test('calls that arrive together are answered by one read, each with its own user', async () => {
    const people = await Promise.all([1, 2, 3].map(() => createTestUser(deps)));
    const { reads, deps: countedDeps } = counted();
    const check = createSessionChecks(countedDeps);
    const answers = await Promise.all(
      people.flatMap((person) => [1, 2, 3, 4].map(() => check(person.sessionId))),
    );
    expect(answers.map((answer) => answer?.user.id)).toEqual(
      people.flatMap((person) => [1, 2, 3, 4].map(() => person.user.id)),
    );
    // The first call starts a read at once; all the others arrived while it was out and share the next one.
    expect(reads.count).toBe(2);
  });

  test('a call that arrives after its session ended is refused, even while an earlier read is still out', async () => {
    const person = await createTestUser(deps);
    const check = createSessionChecks(deps);
    const before = check(person.sessionId);
    await deps.db.delete(sessions).where(eq(sessions.id, person.sessionId));
    const after = check(person.sessionId);
    expect((await before)?.user.id).toBe(person.user.id);
    expect(await after).toBeNull();
  });

  test('a banned user’s or an expired session is ended; an unknown id is nobody', async () => {
    const banned = await createTestUser(deps);
    await deps.db.update(users).set({ bannedAt: clock.now() }).where(eq(users.id, banned.user.id));
    const idle = await createTestUser(deps);
    await deps.db
      .update(sessions)
      .set({ lastVerifiedAt: new Date(clock.now().getTime() - 3600_000) })
      .where(eq(sessions.id, idle.sessionId));
    const check = createSessionChecks(deps);
    expect(await check(banned.sessionId)).toBeNull();
    expect(await check(idle.sessionId)).toBeNull();
    expect(await check('no-such-session')).toBeNull();
  });

  test('a call is use: a session idle past the refresh interval is refreshed', async () => {
    const person = await createTestUser(deps);
    const earlier = new Date(clock.now().getTime() - 1900_000);
    await deps.db.update(sessions).set({ lastVerifiedAt: earlier }).where(eq(sessions.id, person.sessionId));
    const check = createSessionChecks(deps);
    expect((await check(person.sessionId))?.session.lastVerifiedAt).toEqual(clock.now());
    const [row] = await deps.db.select().from(sessions).where(eq(sessions.id, person.sessionId));
    expect(row!.lastVerifiedAt).toEqual(clock.now());
  });
});
