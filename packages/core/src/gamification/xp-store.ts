import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { type SQL, sql } from 'drizzle-orm';
import {
  ACTIVITY_XP_MAX,
  GREY_XP,
  pgArray,
  SPEND_LEVEL_START,
  SPEND_TIER_DAYS,
  SPEND_TIERS,
  SPEND_XP,
  STREAMER_XP,
  STREAMER_XP_PER_HOUR,
} from './levels.ts';

// The set-based statements that turn XP inputs into stored levels: one statement for any number of users, the
// curve passed in as arrays from levels.ts so that SQL and TypeScript read the same thresholds.

export type LevelChange = {
  userId: string;
  username: string;
  displayName: string;
  level: number;
  xp: number;
  before: number;
};

/** The UTC day of an instant, as `yyyy-mm-dd`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The first day of the 14-day spend window ending on `today`. */
export function spendWindowStart(now: Date): string {
  return utcDay(new Date(now.getTime() - (SPEND_TIER_DAYS - 1) * 86_400_000));
}

function tierSql(sum: SQL): SQL {
  const [t1, t2, t3] = SPEND_TIERS;
  return sql`(case when ${sum} >= ${t3} then 3 when ${sum} >= ${t2} then 2 when ${sum} >= ${t1} then 1 else 0 end)`;
}

/**
 * These statements are cheap but look costly to the planner (correlated subqueries per row), which then spends far
 * longer compiling them (JIT) than running them: off for the rest of the transaction they run in.
 */
export async function withoutJit(tx: Executor): Promise<void> {
  await tx.execute(sql`set local jit = off`);
}

/**
 * Recomputes `xp`, `level` and `spend_tier` of the given users (every user when `ids` is null) from their inputs,
 * in one statement; returns each user's new and previous level.
 */
export async function recomputeViewerLevels(
  db: Executor,
  ids: readonly string[] | null,
  now: Date,
): Promise<LevelChange[]> {
  if (ids && ids.length === 0) return [];
  const spendTrack = sql`(l.standing_purchases > 0 or l.spend_xp > 0)`;
  // Joined with the ids as a set (a hash or index join), not `= any(array)`, which compares every row with every id.
  const where = ids ? sql`l.user_id in (select unnest(${pgArray2(ids)}::uuid[]))` : sql`true`;
  const rows = rowsOf<LevelChange>(
    await db.execute(sql`
      update user_levels u set
        xp = n.xp, level = n.level, spend_tier = n.tier, updated_at = now()
      from (
        select l.user_id, l.level as before,
          case when ${spendTrack} then greatest(l.spend_xp, 0)
            else least(greatest(l.activity_xp, 0), ${ACTIVITY_XP_MAX}) end as xp,
          case when ${spendTrack}
            then ${SPEND_LEVEL_START - 1} + greatest(1, (select count(*) from unnest(${pgArray(SPEND_XP)}::bigint[]) t
              where t <= greatest(l.spend_xp, 0)))
            else greatest(1, (select count(*) from unnest(${pgArray(GREY_XP)}::bigint[]) t
              where t <= least(greatest(l.activity_xp, 0), ${ACTIVITY_XP_MAX}))) end as level,
          ${tierSql(sql`sp.tokens`)} as tier
        from user_levels l
        cross join lateral (select coalesce(sum(d.tokens), 0) as tokens from user_spend_days d
          where d.user_id = l.user_id and d.day >= ${spendWindowStart(now)}::date) sp
        where ${where}
      ) n, users s
      where u.user_id = n.user_id and s.id = u.user_id
      returning u.user_id as "userId", s.username, s.display_name as "displayName", u.level, u.xp::float8 as xp,
        n.before`),
  );
  return rows.map((r) => ({ ...r, level: Number(r.level), xp: Number(r.xp), before: Number(r.before) }));
}

/** Recomputes streamers' `xp` and `level` (every streamer's when `ids` is null). */
export async function recomputeStreamerLevels(
  db: Executor,
  ids: readonly string[] | null,
): Promise<LevelChange[]> {
  if (ids && ids.length === 0) return [];
  const where = ids ? sql`l.user_id in (select unnest(${pgArray2(ids)}::uuid[]))` : sql`true`;
  const rows = rowsOf<LevelChange>(
    await db.execute(sql`
      update streamer_levels u set xp = n.xp, level = n.level, updated_at = now()
      from (
        select l.user_id, l.level as before, x.xp,
          greatest(1, (select count(*) from unnest(${pgArray(STREAMER_XP)}::bigint[]) t where t <= x.xp)) as level
        from streamer_levels l,
          lateral (select greatest(l.earned_xp, 0) + floor(greatest(l.live_seconds, 0) * ${STREAMER_XP_PER_HOUR} / 3600)::bigint as xp) x
        where ${where}
      ) n, users s
      where u.user_id = n.user_id and s.id = u.user_id
      returning u.user_id as "userId", s.username, s.display_name as "displayName", u.level, u.xp::float8 as xp,
        n.before`),
  );
  return rows.map((r) => ({ ...r, level: Number(r.level), xp: Number(r.xp), before: Number(r.before) }));
}

/** Refreshes spend tiers as days roll off: only users whose tier is above 0 can drop. */
export async function refreshSpendTiers(db: Executor, now: Date): Promise<void> {
  await db.execute(sql`
    update user_levels u set spend_tier = n.tier, updated_at = now()
    from (select l.user_id, ${tierSql(sql`sp.tokens`)} as tier
      from user_levels l
      cross join lateral (select coalesce(sum(d.tokens), 0) as tokens from user_spend_days d
        where d.user_id = l.user_id and d.day >= ${spendWindowStart(now)}::date) sp
      where l.user_id in (
        -- Locked in id order, as every other writer of these rows locks them.
        select user_id from user_levels where spend_tier > 0 order by user_id for update)) n
    where u.user_id = n.user_id and u.spend_tier <> n.tier`);
}

/**
 * Sets every streamer's `live_seconds` from their streams (each stream's time from start to end, or to `now` while
 * live) and recomputes their levels.
 */
export async function refreshLiveSeconds(db: Executor, now: Date): Promise<LevelChange[]> {
  const rows = rowsOf<{ userId: string }>(
    await db.execute(sql`
      insert into streamer_levels (user_id, live_seconds)
      select s.streamer_id, floor(sum(extract(epoch from (coalesce(s.ended_at, ${now.toISOString()}::timestamptz)
        - s.started_at))))::bigint
      from streams s where s.started_at is not null group by s.streamer_id
      on conflict (user_id) do update set live_seconds = greatest(excluded.live_seconds, 0)
        where streamer_levels.live_seconds is distinct from greatest(excluded.live_seconds, 0)
      returning user_id as "userId"`),
  );
  return recomputeStreamerLevels(
    db,
    rows.map((r) => r.userId),
  );
}

/** A uuid list as a Postgres array literal. */
export function pgArray2(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}
