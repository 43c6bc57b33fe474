import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { streamGoals, tips, tokenPackages } from '@app/db/schema';
import { eq, sql } from 'drizzle-orm';
import { sendTipInput } from '../economy/tips.ts';
import type { GoalView } from '../events/room.ts';
import { projectOnce, projectUntilCaughtUp } from '../gamification/projector.ts';
import type { BusEvent } from '../kernel/ports.ts';
import {
  buyTokens,
  chargeFor,
  createTestDeps,
  createTestStream,
  createTestUser,
  deliverStripeEvent,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  manualClock,
  refusal,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { cancelGoal, createGoal, listGoals, reorderGoals, updateGoal } from './goals.ts';
import { expireGoals, GOAL_PROGRESS } from './goals-projection.ts';
import { rebuildGoalProgress, recountGoals } from './goals-recount.ts';
import { ROOM_ECONOMY } from './projections.ts';
import { tipInRoom } from './tips.ts';

// Goals from the streamer's side (create, queue, edit, cancel) and the room's (the bar follows the tips through
// the projector, completion is told once), against a real Postgres. The clock starts at the real now (a refund
// reverses only tips younger than the earnings hold) and is moved by hand.

let deps: TestDeps;
let clock = manualClock(new Date());
let fake: ReturnType<typeof startStripeFake>;
let packageId: number;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({ stripe: fake.stripe, clock: { now: () => clock.now() } });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Pile', tokens: 1_000, priceCents: 999 })
    .returning();
  packageId = pack!.id;
});
beforeEach(() => {
  clock = manualClock(new Date());
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  fake.stop();
  await deps.database.drop();
});

const project = () => projectUntilCaughtUp(deps, [GOAL_PROGRESS]);

async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, viewer.user.id, 100_000);
  const heard: BusEvent[] = [];
  deps.bus.subscribe(`stream:${stream.id}`, (event) => heard.push(event));
  const tip = (amountTokens: number, from = viewer.user.id) =>
    tipInRoom(
      deps,
      from,
      sendTipInput.parse({ streamId: stream.id, amountTokens, idempotencyKey: crypto.randomUUID() }),
    );
  const goal = (title: string, targetTokens: number, deadlineAt?: Date) =>
    createGoal(deps, streamer.user, { title, targetTokens, deadlineAt });
  const list = () => listGoals(deps, viewer.user, stream.id);
  const bars = () =>
    heard
      .filter((event) => event.type === 'goal.progress')
      .map((event) => (event.goal as GoalView | null)?.progressTokens ?? null);
  const completions = () =>
    heard.filter((event) => event.type === 'goal.completed').map((event) => (event.goal as GoalView).title);
  return { streamer, viewer, stream, heard, tip, goal, list, bars, completions };
}

describe('the goal bar follows the tips', () => {
  test('each projected tip moves the bar; the one that crosses the target completes it, told once', async () => {
    const r = await room();
    await r.goal('New guitar', 100);
    await r.tip(60);
    // Nothing moves until the projector reads the committed tip.
    expect((await r.list()).active).toMatchObject({ progressTokens: 0 });
    await project();
    expect((await r.list()).active).toMatchObject({
      title: 'New guitar',
      progressTokens: 60,
      status: 'active',
    });
    clock.advance(1);
    const crossing = await r.tip(50);
    await project();
    await project();
    const list = await r.list();
    expect(list.active).toBeNull();
    expect(list.recent[0]).toMatchObject({ title: 'New guitar', progressTokens: 110, status: 'reached' });
    expect(list.recent[0]!.reachedAt).toBe(new Date(crossing.tip.createdAt).toISOString());
    expect(r.bars()).toEqual([0, 60, null]);
    expect(r.completions()).toEqual(['New guitar']);
    // Replaying the room's projections from the start (a fresh pass over an already-applied ledger) adds nothing.
    expect(await projectUntilCaughtUp(deps, ROOM_ECONOMY)).toBe(0);
    expect(r.completions()).toEqual(['New guitar']);
  });

  test('tips committing at once all count, once each', async () => {
    const r = await room();
    await r.goal('Crowd', 10_000);
    await Promise.all(Array.from({ length: 12 }, () => r.tip(7)));
    await Promise.all([project(), project()]);
    expect((await r.list()).active).toMatchObject({ progressTokens: 84 });
  });

  test('a tip sent before the goal was set does not count toward it', async () => {
    const r = await room();
    await r.tip(40);
    clock.advance(1);
    await r.goal('Later goal', 1_000);
    clock.advance(1);
    await r.tip(5);
    await project();
    expect((await r.list()).active).toMatchObject({ progressTokens: 5 });
  });

  test('the queue starts the next goal, and the rest of the same pass counts toward it', async () => {
    const r = await room();
    await r.goal('First', 100);
    await r.goal('Second', 500);
    await r.goal('Third', 50);
    // Tips are stamped by the database; a tip sent at the very millisecond a goal ends counts toward that goal, so
    // each waits for the next millisecond.
    const later = () => Bun.sleep(2);
    await r.tip(70);
    await later();
    await r.tip(40);
    await later();
    await r.tip(25);
    await later();
    await r.tip(30);
    // One pass reads all four tips: 70 + 40 reach the first; 25 and 30 count toward the second.
    await projectOnce(deps, [GOAL_PROGRESS]);
    const list = await r.list();
    expect(list.active).toMatchObject({ title: 'Second', progressTokens: 55, status: 'active' });
    expect(list.queue.map((goal) => goal.title)).toEqual(['Third']);
    expect(list.recent.map((goal) => [goal.title, goal.progressTokens, goal.status])).toEqual([
      ['First', 110, 'reached'],
    ]);
    expect(r.completions()).toEqual(['First']);
    expect(r.heard.at(-1)).toMatchObject({
      type: 'goal.progress',
      goal: { title: 'Second', progressTokens: 55 },
    });
  });

  test('a goal past its deadline expires and the next one starts', async () => {
    const r = await room();
    await r.goal('Within a minute', 1_000, new Date(clock.now().getTime() + 60_000));
    await r.goal('Afterwards', 300);
    await r.tip(100);
    await project();
    clock.advance(30);
    expect(await expireGoals(deps)).toBe(0);
    clock.advance(31);
    expect(await expireGoals(deps)).toBe(1);
    const list = await r.list();
    expect(list.recent[0]).toMatchObject({
      title: 'Within a minute',
      status: 'expired',
      progressTokens: 100,
    });
    expect(list.active).toMatchObject({ title: 'Afterwards', progressTokens: 0 });
    expect(r.heard.at(-1)).toMatchObject({ type: 'goal.progress', goal: { title: 'Afterwards' } });
    expect(r.completions()).toEqual([]);
    clock.advance(1);
    await r.tip(20);
    await project();
    expect((await r.list()).active).toMatchObject({ title: 'Afterwards', progressTokens: 20 });
  });

  test('projected progress equals a recount from the tips after random tips and refunds', async () => {
    const r = await room();
    const buyers = await Promise.all(Array.from({ length: 6 }, () => createTestUser(deps)));
    const intents = new Map<string, string[]>();
    for (const buyer of buyers) {
      intents.set(buyer.user.id, [await buyTokens(deps, buyer.user.id, packageId)]);
    }
    let random = 7;
    const next = (n: number) => {
      random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
      return random % n;
    };
    for (let i = 0; i < 5; i++) await r.goal(`Goal ${i + 1}`, 300 + next(700));
    for (let round = 0; round < 120; round++) {
      clock.advance(next(3));
      const buyer = buyers[next(buyers.length)]!;
      const roll = next(20);
      if (roll === 0) {
        const [intent] = intents.get(buyer.user.id)!.splice(0, 1);
        if (intent) await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intent));
      } else if (roll === 1) {
        intents.get(buyer.user.id)!.push(await buyTokens(deps, buyer.user.id, packageId));
      } else {
        await r.tip(1 + next(120), buyer.user.id).catch(() => null);
      }
      if (next(10) === 0) await project();
    }
    await project();
    const goals = await deps.db.select().from(streamGoals).where(eq(streamGoals.streamId, r.stream.id));
    const recounted = await recountGoals(deps.db, r.stream.id);
    expect(goals.filter((goal) => goal.status === 'reached').length).toBeGreaterThan(0);
    const reversed = await deps.db.select().from(tips).where(eq(tips.streamId, r.stream.id));
    expect(reversed.filter((tip) => (tip.reversedTokens ?? 0) > 0).length).toBeGreaterThan(0);
    for (const goal of goals) {
      expect([goal.title, goal.progressTokens]).toEqual([goal.title, recounted.get(goal.id) ?? 0]);
    }
    expect(new Set(r.completions()).size).toBe(r.completions().length);
    // A rebuild from the tips alone gives back the same progress.
    await deps.db.update(streamGoals).set({ progressTokens: 0 }).where(eq(streamGoals.streamId, r.stream.id));
    await rebuildGoalProgress(deps.db, r.stream.id);
    const rebuilt = await deps.db.select().from(streamGoals).where(eq(streamGoals.streamId, r.stream.id));
    const progressOf = (rows: typeof goals) =>
      Object.fromEntries(rows.map((goal) => [goal.id, goal.progressTokens]));
    expect(progressOf(rebuilt)).toEqual(progressOf(goals));
  });

  test('a tip that commits after a later one was projected still lands in the goal of its moment', async () => {
    const r = await room();
    await r.goal('Ten', 10);
    await r.goal('Next', 1_000);
    await project();
    // A tip transaction that takes its ledger id (and its time) first but commits last.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = deps.db.transaction(async (tx) => {
      const [idRow] = (await tx.execute(
        sql`select nextval(pg_get_serial_sequence('ledger_transactions', 'id'))::float8 as id`,
      )) as unknown as { id: number }[];
      await held;
      await tx.execute(sql`
        with lt as (
          insert into ledger_transactions (id, kind, idempotency_key, request_hash)
          overriding system value values (${idRow!.id}, 'tip', ${`slow:${idRow!.id}`}, 'x') returning id)
        insert into tips (stream_id, from_user_id, to_user_id, amount_tokens, ledger_transaction_id)
        select ${r.stream.id}::uuid, ${r.viewer.user.id}::uuid, s.streamer_id, 8, lt.id from lt, streams s
        where s.id = ${r.stream.id}::uuid`);
    });
    await Bun.sleep(50);
    await r.tip(4);
    await project();
    expect((await r.list()).active).toMatchObject({ title: 'Ten', progressTokens: 4 });
    release();
    await slow;
    await project();
    // The late tip reached the goal; the window closes after every tip it already counted.
    const list = await r.list();
    expect(list.recent[0]).toMatchObject({ title: 'Ten', status: 'reached', progressTokens: 12 });
    expect(list.active).toMatchObject({ title: 'Next', progressTokens: 0 });
    const recounted = await recountGoals(deps.db, r.stream.id);
    expect([recounted.get(list.recent[0]!.id), recounted.get(list.active!.id) ?? 0]).toEqual([12, 0]);
    expect(r.completions()).toEqual(['Ten']);
  });

  test('a refund takes its tip out of the goal it counted toward; a reached goal is not told again', async () => {
    const r = await room();
    const buyer = await createTestUser(deps);
    const intent = await buyTokens(deps, buyer.user.id, packageId);
    await r.goal('Mic', 500);
    await r.goal('Lights', 500);
    await r.tip(600, buyer.user.id);
    clock.advance(1);
    await r.tip(50);
    await project();
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intent));
    await project();
    const list = await r.list();
    expect(list.recent[0]).toMatchObject({ title: 'Mic', status: 'reached', progressTokens: 0 });
    expect(list.active).toMatchObject({ title: 'Lights', progressTokens: 50 });
    expect(r.completions()).toEqual(['Mic']);
  });
});

describe('the streamer runs their goals', () => {
  test('a goal can be edited; lowering the target to its progress completes it and starts the next', async () => {
    const r = await room();
    const first = await r.goal('Paint', 1_000);
    const second = await r.goal('Brushes', 200);
    await r.tip(300);
    await project();
    await updateGoal(deps, r.streamer.user, {
      goalId: second.id,
      title: 'Better brushes',
      targetTokens: 250,
    });
    expect((await r.list()).queue[0]).toMatchObject({ title: 'Better brushes', targetTokens: 250 });
    clock.advance(1);
    await updateGoal(deps, r.streamer.user, { goalId: first.id, targetTokens: 300 });
    const list = await r.list();
    expect(list.recent[0]).toMatchObject({ title: 'Paint', status: 'reached', progressTokens: 300 });
    expect(list.active).toMatchObject({ title: 'Better brushes', progressTokens: 0 });
    expect(r.completions()).toEqual(['Paint']);
    const refused = await refusal(updateGoal(deps, r.streamer.user, { goalId: first.id, title: 'Again' }));
    expect(refused.code).toBe('CONFLICT');
  });

  test('cancelling the active goal starts the next; cancelling a queued one takes it out of the queue', async () => {
    const r = await room();
    const first = await r.goal('One', 1_000);
    const second = await r.goal('Two', 1_000);
    const third = await r.goal('Three', 1_000);
    await cancelGoal(deps, r.streamer.user, second.id);
    expect((await r.list()).queue.map((goal) => goal.title)).toEqual(['Three']);
    await cancelGoal(deps, r.streamer.user, first.id);
    const list = await r.list();
    expect(list.active).toMatchObject({ id: third.id, status: 'active' });
    expect(list.recent.map((goal) => [goal.title, goal.status])).toEqual([['One', 'cancelled']]);
    expect(r.heard.at(-1)).toMatchObject({ type: 'goal.progress', goal: { title: 'Three' } });
  });

  test('the queue can be reordered and is bounded', async () => {
    const r = await room();
    await r.goal('Active', 1_000);
    const queued = [];
    for (let i = 0; i < 10; i++) queued.push(await r.goal(`Queued ${i}`, 100));
    const refused = await refusal(r.goal('One too many', 100));
    expect(refused.message).toContain('at most 10');
    const reversed = queued.map((goal) => goal.id).reverse();
    await reorderGoals(deps, r.streamer.user, { goalIds: reversed });
    expect((await r.list()).queue.map((goal) => goal.id)).toEqual(reversed);
    const partial = await refusal(reorderGoals(deps, r.streamer.user, { goalIds: reversed.slice(1) }));
    expect(partial.code).toBe('INVALID_INPUT');
  });

  test('only the stream’s own streamer changes its goals; deadlines must be ahead and within 30 days', async () => {
    const r = await room();
    const other = await createTestUser(deps, { role: 'streamer' });
    const goal = await r.goal('Mine', 100);
    expect((await refusal(cancelGoal(deps, other.user, goal.id))).code).toBe('FORBIDDEN');
    expect((await refusal(updateGoal(deps, other.user, { goalId: goal.id, title: 'Theirs' }))).code).toBe(
      'FORBIDDEN',
    );
    const past = await refusal(r.goal('Late', 100, new Date(clock.now().getTime() - 1_000)));
    expect(past.message).toBe('Set the deadline in the future.');
    const far = await refusal(r.goal('Far', 100, new Date(clock.now().getTime() + 31 * 24 * 3_600_000)));
    expect(far.message).toBe('Set the deadline within 30 days.');
    // A streamer without a stream that is not over has nowhere to put a goal.
    expect((await refusal(createGoal(deps, other.user, { title: 'Nowhere', targetTokens: 5 }))).code).toBe(
      'CONFLICT',
    );
    const list = await r.list();
    expect([list.active?.title, list.queue.length]).toEqual(['Mine', 0]);
  });
});
