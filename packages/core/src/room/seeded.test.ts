import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { streams, users } from '@app/db/schema';
import { seedDatabase } from '@app/db/seed';
import { and, arrayContains, eq } from 'drizzle-orm';
import { chatHistory } from '../chat/history.ts';
import { grantTokens } from '../economy/grants.ts';
import { transactionHistory, walletBalance } from '../economy/history.ts';
import { projectUntilCaughtUp } from '../gamification/projector.ts';
import { createTestDeps, HEALTHY_LEDGER, ledgerInvariants, type TestDeps } from '../testing.ts';
import { currentGoal, listGoals } from './goals.ts';
import { recountGoals } from './goals-recount.ts';
import { ROOM_ECONOMY } from './projections.ts';
import { tipInRoom } from './tips.ts';

// The demo seed as the platform's own functions read it: a newcomer's first minutes on `bun run dev`.
let deps: TestDeps;

beforeAll(async () => {
  deps = await createTestDeps();
  await seedDatabase(deps.db);
  // What the server's projector does on its first pass over the seeded ledger.
  await projectUntilCaughtUp(deps, ROOM_ECONOMY);
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

async function userNamed(username: string) {
  const [user] = await deps.db.select().from(users).where(eq(users.username, username));
  if (!user) throw new Error(`${username} is not seeded`);
  return user;
}

async function pastaStream() {
  const [stream] = await deps.db
    .select()
    .from(streams)
    .where(and(eq(streams.status, 'live'), arrayContains(streams.tags, ['pasta'])));
  if (!stream) throw new Error('No pasta stream is live');
  return stream;
}

describe('the seeded platform', () => {
  test('its ledger is healthy straight after seeding', async () => {
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  });

  test('a viewer’s wallet holds the granted tokens less their tips; history says they were granted', async () => {
    const noor = await userNamed('noor_h');
    expect((await walletBalance(deps, noor.id)).walletTokens).toBe(5_000 - 100);
    const history = await transactionHistory(deps, noor.id, { limit: 10 });
    expect(history.items.map((item) => [item.kind, item.amountTokens])).toEqual([
      ['tip', -100],
      ['grant', 5_000],
    ]);
  });

  test('a live room shows its recent chat and tip lines, and its goal agrees with its tips', async () => {
    const stream = await pastaStream();
    const history = await chatHistory(deps, stream, { streamId: stream.id, limit: 50 });
    expect(history.items.filter((item) => item.kind === 'chat').length).toBeGreaterThanOrEqual(3);
    expect(history.items.filter((item) => item.kind === 'tip').map((item) => item.tip?.amountTokens)).toEqual(
      [250, 100, 300],
    );
    const goal = await currentGoal(deps, stream.id);
    expect(goal).toMatchObject({ progressTokens: 650, reachedAt: null, status: 'active' });
    // Recounting from the tips gives what the projector counted; the next goal waits its turn.
    expect((await recountGoals(deps.db, stream.id)).get(goal!.id)).toBe(650);
    expect((await listGoals(deps, null, stream.id)).queue.map((next) => next.title)).toEqual([
      'A wooden pasta board',
    ]);
  });

  test('a seeded viewer tips a seeded live stream: the goal moves and their balance drops', async () => {
    const stream = await pastaStream();
    const maya = await userNamed('maya_reads');
    const before = (await walletBalance(deps, maya.id)).walletTokens;
    const goal = await currentGoal(deps, stream.id);
    await tipInRoom(deps, maya.id, {
      streamId: stream.id,
      amountTokens: 40,
      note: 'Buonissimo',
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
    expect((await walletBalance(deps, maya.id)).walletTokens).toBe(before - 40);
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    expect((await currentGoal(deps, stream.id))?.progressTokens).toBe(goal!.progressTokens + 40);
  });

  test('an admin grants more tokens to a seeded viewer from the same promotions account', async () => {
    const admin = await userNamed('admin');
    const oskar = await userNamed('oskar_nord');
    const before = (await walletBalance(deps, oskar.id)).walletTokens;
    await grantTokens(deps, admin.id, {
      userId: oskar.id,
      amountTokens: 1_000,
      reason: 'Support compensation',
      idempotencyKey: crypto.randomUUID(),
    });
    expect((await walletBalance(deps, oskar.id)).walletTokens).toBe(before + 1_000);
  });
});
