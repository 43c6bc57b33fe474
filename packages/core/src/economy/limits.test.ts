import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { spendingLimits, tips } from '@app/db/schema';
import { eq, sql } from 'drizzle-orm';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  manualClock,
  refusal,
  type TestDeps,
} from '../testing.ts';
import { walletBalance } from './history.ts';
import { getLimits, limitPeriods, setLimits, spendingLimitError } from './limits.ts';
import { sendTip } from './tips.ts';

// Tips are stamped by the database's clock; the test clock starts at the same moment, so "today" is the same day
// for both (a run that straddles 00:00 UTC by milliseconds could see two days).
const clock = manualClock(new Date());
let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({ clock });
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

async function scene(walletTokens = 5_000) {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, viewer.user.id, walletTokens);
  const tip = (amountTokens: number, idempotencyKey = key()) =>
    sendTip(deps, viewer.user.id, { streamId: stream.id, amountTokens, anonymous: false, idempotencyKey });
  return { viewer, stream, tip };
}

describe('spending limits', () => {
  test('a tip past the daily limit is refused with a sentence naming the limit and when it resets', async () => {
    const { viewer, tip } = await scene();
    await setLimits(deps, viewer.user.id, { dailyTokens: 500, weeklyTokens: null });
    await tip(380);
    const refused = await refusal(tip(200));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.reason).toBe('SPENDING_LIMIT');
    expect(refused.message).toMatch(
      /^This tip would take you past your daily limit of 500 tokens \(120 left today\)\. It resets at 00:00 UTC, in \d+ (h|min|s)/,
    );
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(5_000 - 380);
    await tip(120);
    const limits = await getLimits(deps, viewer.user.id);
    expect(limits.daily).toMatchObject({ limitTokens: 500, spentTokens: 500 });
    expect(limits.weekly).toMatchObject({ limitTokens: null, spentTokens: 500 });
    expect(limits.daily.resetsAt).toBe(
      new Date(limitPeriods(clock.now()).day.getTime() + 86_400_000).toISOString(),
    );
  });

  test('the sentences read as a person would say them', () => {
    const now = new Date('2026-12-03T20:48:00Z');
    expect(
      spendingLimitError(
        { period: 'day', limitTokens: 500, spentTokens: 380, resetsAt: '2026-12-04T00:00:00.000Z' },
        now,
      ).message,
    ).toBe(
      'This tip would take you past your daily limit of 500 tokens (120 left today). It resets at 00:00 UTC, in 3 h 12 min.',
    );
    expect(
      spendingLimitError(
        { period: 'week', limitTokens: 2_000, spentTokens: 1_700, resetsAt: '2026-12-07T00:00:00.000Z' },
        now,
      ).message,
    ).toBe(
      'This tip would take you past your weekly limit of 2,000 tokens (300 left this week). It resets on Monday at 00:00 UTC, in 3 d 3 h.',
    );
    expect(limitPeriods(new Date('2026-12-06T23:59:59.999Z')).week.toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    expect(limitPeriods(new Date('2026-12-07T00:00:00.000Z')).week.toISOString()).toBe(
      '2026-12-07T00:00:00.000Z',
    );
  });

  test('a weekly limit counts the whole ISO week', async () => {
    const { viewer, tip } = await scene();
    await setLimits(deps, viewer.user.id, { dailyTokens: null, weeklyTokens: 300 });
    await tip(250);
    const refused = await refusal(tip(100));
    expect(refused.message).toContain('past your weekly limit of 300 tokens (50 left this week)');
  });

  test('lowering applies at once; raising and removing wait 24 hours', async () => {
    const { viewer, tip } = await scene();
    const first = await setLimits(deps, viewer.user.id, { dailyTokens: 1_000, weeklyTokens: null });
    expect(first.daily.limitTokens).toBe(1_000);
    expect(first.pending).toBeNull();
    await tip(300);
    const lowered = await setLimits(deps, viewer.user.id, { dailyTokens: 200, weeklyTokens: null });
    expect(lowered.daily.limitTokens).toBe(200);
    expect((await refusal(tip(1))).reason).toBe('SPENDING_LIMIT');

    const raised = await setLimits(deps, viewer.user.id, { dailyTokens: 400, weeklyTokens: null });
    const applies = new Date(clock.now().getTime() + 24 * 3_600_000).toISOString();
    expect(raised.daily.limitTokens).toBe(200);
    expect(raised.pending).toEqual({ dailyTokens: 400, weeklyTokens: null, from: applies });
    clock.advance(12 * 3600);
    // Asking again for the raise already waiting keeps its time.
    expect(
      (await setLimits(deps, viewer.user.id, { dailyTokens: 400, weeklyTokens: null })).pending?.from,
    ).toBe(applies);
    clock.advance(12 * 3600 - 1);
    expect((await refusal(tip(250))).message).toContain('daily limit of 200 tokens');
    clock.advance(1);
    // A day later (the tips above are yesterday's now): 250 passes 200 but not 400.
    expect((await getLimits(deps, viewer.user.id)).daily.limitTokens).toBe(400);
    await tip(250);

    const removed = await setLimits(deps, viewer.user.id, { dailyTokens: null, weeklyTokens: null });
    expect(removed.daily.limitTokens).toBe(400);
    expect(removed.pending).toMatchObject({ dailyTokens: null, weeklyTokens: null });
    expect((await refusal(tip(401))).reason).toBe('SPENDING_LIMIT');
    clock.advance(24 * 3600);
    await tip(1_000);
    // Nothing in force and nothing waiting: the row goes, and tips pay one lookup for limits.
    await setLimits(deps, viewer.user.id, { dailyTokens: null, weeklyTokens: null });
    expect(
      await deps.db.select().from(spendingLimits).where(eq(spendingLimits.userId, viewer.user.id)),
    ).toEqual([]);
    clock.advance(-48 * 3600);
  });

  test('bad limits are refused and nothing is stored', async () => {
    const { viewer } = await scene();
    for (const bad of [
      { dailyTokens: 0, weeklyTokens: null },
      { dailyTokens: -5, weeklyTokens: null },
      { dailyTokens: 1.5, weeklyTokens: null },
    ]) {
      const { setLimitsInput } = await import('./limits.ts');
      expect(setLimitsInput.safeParse(bad).success).toBe(false);
    }
    const refused = await refusal(setLimits(deps, viewer.user.id, { dailyTokens: 500, weeklyTokens: 100 }));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(
      await deps.db.select().from(spendingLimits).where(eq(spendingLimits.userId, viewer.user.id)),
    ).toEqual([]);
  });

  test('ten tips at once cannot pass the daily limit together', async () => {
    const { viewer, tip } = await scene();
    await setLimits(deps, viewer.user.id, { dailyTokens: 250, weeklyTokens: null });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => tip(50)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const [spent] = await deps.db
      .select({ total: sql<number>`coalesce(sum(${tips.amountTokens}), 0)::int` })
      .from(tips)
      .where(eq(tips.fromUserId, viewer.user.id));
    expect(spent?.total).toBe(250);
  });

  test('a replayed key still returns its tip when the limit is reached', async () => {
    const { viewer, tip } = await scene();
    await setLimits(deps, viewer.user.id, { dailyTokens: 100, weeklyTokens: null });
    const idempotencyKey = key();
    const first = await tip(100, idempotencyKey);
    const again = await tip(100, idempotencyKey);
    expect(again.replayed).toBe(true);
    expect(again.tip.id).toBe(first.tip.id);
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(4_900);
  });
});
