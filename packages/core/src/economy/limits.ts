import type { RefusalDetails } from '@app/db/engine';
import { rowsOf } from '@app/db/engine';
import { type SpendingLimit, spendingLimits } from '@app/db/schema';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreDeps } from '../kernel/deps.ts';
import { formatDuration } from '../kernel/duration.ts';
import { DomainError, invalid } from '../kernel/errors.ts';

/** How long a raised (or removed) limit waits before it applies: time to think it over. */
export const LIMIT_RAISE_DELAY_HOURS = 24;
/** The largest limit anyone can set; no limit at all is `null`. */
export const LIMIT_TOKENS_MAX = 10_000_000;

const limitTokens = z
  .number('Enter a whole number of tokens, or no limit.')
  .int('Limits are whole tokens.')
  .positive('A limit is at least 1 token; choose "no limit" to remove it.')
  .max(LIMIT_TOKENS_MAX, `A limit can be at most ${LIMIT_TOKENS_MAX.toLocaleString('en-US')} tokens.`)
  .nullable();

export const setLimitsInput = z.strictObject({ dailyTokens: limitTokens, weeklyTokens: limitTokens });
export type SetLimitsInput = z.output<typeof setLimitsInput>;

export type LimitPeriodView = {
  /** The limit in force now; null when there is none. */
  limitTokens: number | null;
  /** Tokens tipped this UTC day (or ISO week). */
  spentTokens: number;
  /** When this period's count starts over (ISO 8601, UTC). */
  resetsAt: string;
};

export type SpendingLimitsView = {
  daily: LimitPeriodView;
  weekly: LimitPeriodView;
  /** A raise (or removal) waiting to apply: the limits that will be in force from `from`. */
  pending: { dailyTokens: number | null; weeklyTokens: number | null; from: string } | null;
};

const DAY_MS = 86_400_000;

/** The start of `now`'s UTC day and of its ISO week (Monday 00:00 UTC). */
export function limitPeriods(now: Date): { day: Date; week: Date } {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return { day, week: new Date(day.getTime() - sinceMonday * DAY_MS) };
}

/** The limits in force at `now`: a pending raise whose time has come counts as applied. */
function inForce(row: SpendingLimit | undefined, now: Date) {
  if (!row) return { daily: null, weekly: null, pending: null };
  if (row.pendingFrom && row.pendingFrom <= now) {
    return { daily: row.pendingDailyTokens, weekly: row.pendingWeeklyTokens, pending: null };
  }
  const pending = row.pendingFrom
    ? { dailyTokens: row.pendingDailyTokens, weeklyTokens: row.pendingWeeklyTokens, from: row.pendingFrom }
    : null;
  return { daily: row.dailyTokens, weekly: row.weeklyTokens, pending };
}

/** The user's limits, what is pending, and what they tipped this UTC day and ISO week. */
export async function getLimits(deps: CoreDeps, userId: string): Promise<SpendingLimitsView> {
  const now = deps.clock.now();
  const [row] = await deps.db.select().from(spendingLimits).where(eq(spendingLimits.userId, userId));
  const limits = inForce(row, now);
  const { day, week } = limitPeriods(now);
  const [spent] = rowsOf<{ day: number; week: number }>(
    await deps.db.execute(sql`
      select coalesce(sum(amount_tokens) filter (where created_at >= ${day.toISOString()}::timestamptz
          and created_at < ${day.toISOString()}::timestamptz + interval '1 day'), 0)::float8 as day,
        coalesce(sum(amount_tokens), 0)::float8 as week
      from tips where from_user_id = ${userId}::uuid and created_at >= ${week.toISOString()}::timestamptz
        and created_at < ${week.toISOString()}::timestamptz + interval '7 days'`),
  );
  return {
    daily: {
      limitTokens: limits.daily,
      spentTokens: Number(spent?.day ?? 0),
      resetsAt: new Date(day.getTime() + DAY_MS).toISOString(),
    },
    weekly: {
      limitTokens: limits.weekly,
      spentTokens: Number(spent?.week ?? 0),
      resetsAt: new Date(week.getTime() + 7 * DAY_MS).toISOString(),
    },
    pending: limits.pending && { ...limits.pending, from: limits.pending.from.toISOString() },
  };
}

/** A stricter limit (or a first one) than `current`: it may apply at once. */
const isStricter = (next: number | null, current: number | null) =>
  next !== null && (current === null || next <= current);

/**
 * Sets the user's daily and weekly limits (null: none). A lower limit, or a first one, applies at once; a higher
 * one, or removing one, waits 24 hours, so a limit set in a calm moment holds in a heated one. Asking again for
 * the raise already waiting keeps its time; any other change starts the wait again.
 */
export async function setLimits(
  deps: CoreDeps,
  userId: string,
  input: SetLimitsInput,
): Promise<SpendingLimitsView> {
  if (input.dailyTokens !== null && input.weeklyTokens !== null && input.weeklyTokens < input.dailyTokens) {
    throw invalid(
      'weeklyTokens',
      'The weekly limit cannot be lower than the daily limit; raise it or lower the daily one.',
    );
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(spendingLimits)
      .where(eq(spendingLimits.userId, userId))
      .for('update');
    const current = inForce(row, now);
    const dailyNow = isStricter(input.dailyTokens, current.daily) ? input.dailyTokens : current.daily;
    const weeklyNow = isStricter(input.weeklyTokens, current.weekly) ? input.weeklyTokens : current.weekly;
    const waits = dailyNow !== input.dailyTokens || weeklyNow !== input.weeklyTokens;
    const samePending =
      current.pending?.dailyTokens === input.dailyTokens &&
      current.pending?.weeklyTokens === input.weeklyTokens;
    const pendingFrom = !waits
      ? null
      : samePending && current.pending
        ? current.pending.from
        : new Date(now.getTime() + LIMIT_RAISE_DELAY_HOURS * 3_600_000);
    if (!waits && dailyNow === null && weeklyNow === null) {
      // No limit and nothing waiting: no row, so tips pay nothing for limits.
      await tx.delete(spendingLimits).where(eq(spendingLimits.userId, userId));
      return;
    }
    const values = {
      dailyTokens: dailyNow,
      weeklyTokens: weeklyNow,
      pendingDailyTokens: waits ? input.dailyTokens : null,
      pendingWeeklyTokens: waits ? input.weeklyTokens : null,
      pendingFrom,
      updatedAt: now,
    };
    await tx
      .insert(spendingLimits)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: spendingLimits.userId, set: values });
  });
  return getLimits(deps, userId);
}

/** The sentence for a tip that would pass the tipper's own limit (SQLSTATE LU016). */
export function spendingLimitError(detail: RefusalDetails['SPENDING_LIMIT'], now: Date): DomainError {
  const left = Math.max(0, detail.limitTokens - detail.spentTokens);
  const resetsAt = new Date(detail.resetsAt);
  const daily = detail.period === 'day';
  const when = daily ? 'at 00:00 UTC' : 'on Monday at 00:00 UTC';
  const message =
    `This tip would take you past your ${daily ? 'daily' : 'weekly'} limit of ` +
    `${detail.limitTokens.toLocaleString('en-US')} tokens (${left.toLocaleString('en-US')} left ` +
    `${daily ? 'today' : 'this week'}). It resets ${when}, in ` +
    `${formatDuration((resetsAt.getTime() - now.getTime()) / 1000)}.`;
  return new DomainError('FORBIDDEN', message, {
    reason: 'SPENDING_LIMIT',
    retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)),
  });
}
