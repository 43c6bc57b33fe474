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
 * How many of the ascending `thresholds` are at or below `xp` (levels.ts's `countUpTo` before its floor of 1): a
 * binary search in `width_bucket`, where counting over the unnested array costs a scan of a hundred rows per user.
 */
function countUpTo(thresholds: readonly number[], xp: SQL): SQL {
  return sql`width_bucket((${xp})::bigint, ${pgArray(thresholds)}::bigint[])`;
}

/** A viewer's XP and level from their inputs (levels.ts's `viewerXp` and `viewerLevel`). */
function viewerLevelSql(spend: SQL, activity: SQL, purchases: SQL): { xp: SQL; level: SQL } {
  const spendTrack = sql`(${purchases} > 0 or ${spend} > 0)`;
  const grey = sql`least(greatest(${activity}, 0), ${ACTIVITY_XP_MAX})`;
  return {
    xp: sql`(case when ${spendTrack} then greatest(${spend}, 0) else ${grey} end)`,
    level: sql`(case when ${spendTrack}
      then ${SPEND_LEVEL_START - 1} + greatest(1, ${countUpTo(SPEND_XP, sql`greatest(${spend}, 0)`)})
      else greatest(1, ${countUpTo(GREY_XP, grey)}) end)`,
  };
}

/** A streamer's XP (levels.ts's `streamerXp`) and the level of an XP figure. */
function streamerXpSql(earned: SQL, liveSeconds: SQL): SQL {
  return sql`(greatest(${earned}, 0) + floor(greatest(${liveSeconds}, 0) * ${STREAMER_XP_PER_HOUR} / 3600)::bigint)`;
}

function streamerLevelSql(xp: SQL): SQL {
  return sql`greatest(1, ${countUpTo(STREAMER_XP, xp)})`;
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
  const level = viewerLevelSql(sql`l.spend_xp`, sql`l.activity_xp`, sql`l.standing_purchases`);
  // Joined with the ids as a set (a hash or index join), not `= any(array)`, which compares every row with every id.
  const where = ids ? sql`l.user_id in (select unnest(${pgArray2(ids)}::uuid[]))` : sql`true`;
  const rows = rowsOf<LevelChange>(
    await db.execute(sql`
      update user_levels u set
        xp = n.xp, level = n.level, spend_tier = n.tier, updated_at = now()
      from (
        select l.user_id, l.level as before,
          ${level.xp} as xp, ${level.level} as level, ${tierSql(sql`sp.tokens`)} as tier
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
        select l.user_id, l.level as before, x.xp, ${streamerLevelSql(sql`x.xp`)} as level
        from streamer_levels l,
          lateral (select ${streamerXpSql(sql`l.earned_xp`, sql`l.live_seconds`)} as xp) x
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

/**
 * Adds a pass's spend XP and purchases to `user_levels` and sets each user's XP, level and spend tier from the new
 * inputs in the same statement (one write per row; the pass's spend days are written before it). Rows are locked in
 * id order, as every other writer of them locks them, and each is locked before it is written, so its previous level
 * is the one it had just before. Returns the users whose level went up.
 */
export async function addViewerXp(
  db: Executor,
  users: readonly string[],
  spend: readonly number[],
  purchases: readonly number[],
  now: Date,
): Promise<LevelChange[]> {
  if (users.length === 0) return [];
  const fresh = viewerLevelSql(sql`i.spend`, sql`0`, sql`i.purchases`);
  const added = viewerLevelSql(
    sql`(l.spend_xp + excluded.spend_xp)`,
    sql`l.activity_xp`,
    sql`(l.standing_purchases + excluded.standing_purchases)`,
  );
  const rows = rowsOf<{ userId: string; level: number; xp: number; before: number }>(
    await db.execute(sql`
      with input as (
        select * from unnest(${pgArray2(users)}::uuid[], ${`{${spend.join(',')}}`}::bigint[],
          ${`{${purchases.join(',')}}`}::int[]) as i(user_id, spend, purchases)
      ), old as materialized (
        select l.user_id, l.level from user_levels l where l.user_id in (select user_id from input)
        order by l.user_id for update
      ), sp as (
        select d.user_id, sum(d.tokens) as tokens from user_spend_days d
        where d.user_id in (select user_id from input) and d.day >= ${spendWindowStart(now)}::date
        group by d.user_id
      ), up as (
        insert into user_levels as l (user_id, spend_xp, standing_purchases, xp, level, spend_tier)
        select i.user_id, i.spend, i.purchases, ${fresh.xp}, ${fresh.level}, ${tierSql(sql`coalesce(sp.tokens, 0)`)}
        from input i left join old o on o.user_id = i.user_id left join sp on sp.user_id = i.user_id
        order by i.user_id
        on conflict (user_id) do update set
          spend_xp = l.spend_xp + excluded.spend_xp,
          standing_purchases = l.standing_purchases + excluded.standing_purchases,
          xp = ${added.xp}, level = ${added.level}, spend_tier = excluded.spend_tier, updated_at = now()
        returning l.user_id, l.level, l.xp
      )
      select up.user_id as "userId", up.level, up.xp::float8 as xp, coalesce(o.level, 1) as before
      from up left join old o on o.user_id = up.user_id
      where up.level > coalesce(o.level, 1)`),
  );
  return named(db, rows);
}

/** Adds a pass's earned XP to `streamer_levels` and sets XP and level in the same statement; returns who went up. */
export async function addStreamerXp(
  db: Executor,
  streamers: readonly string[],
  earned: readonly number[],
): Promise<LevelChange[]> {
  if (streamers.length === 0) return [];
  const fresh = streamerXpSql(sql`i.earned`, sql`0`);
  const added = streamerXpSql(sql`(l.earned_xp + excluded.earned_xp)`, sql`l.live_seconds`);
  const rows = rowsOf<{ userId: string; level: number; xp: number; before: number }>(
    await db.execute(sql`
      with input as (
        select * from unnest(${pgArray2(streamers)}::uuid[], ${`{${earned.join(',')}}`}::bigint[])
          as i(user_id, earned)
      ), old as materialized (
        select l.user_id, l.level from streamer_levels l where l.user_id in (select user_id from input)
        order by l.user_id for update
      ), up as (
        insert into streamer_levels as l (user_id, earned_xp, xp, level)
        select i.user_id, i.earned, ${fresh}, ${streamerLevelSql(fresh)}
        from input i left join old o on o.user_id = i.user_id
        order by i.user_id
        on conflict (user_id) do update set
          earned_xp = l.earned_xp + excluded.earned_xp,
          xp = ${added}, level = ${streamerLevelSql(added)}, updated_at = now()
        returning l.user_id, l.level, l.xp
      )
      select up.user_id as "userId", up.level, up.xp::float8 as xp, coalesce(o.level, 1) as before
      from up left join old o on o.user_id = up.user_id
      where up.level > coalesce(o.level, 1)`),
  );
  return named(db, rows);
}

/** The changes with each user's username and display name (read for the few whose level went up). */
async function named(
  db: Executor,
  rows: { userId: string; level: number; xp: number; before: number }[],
): Promise<LevelChange[]> {
  if (rows.length === 0) return [];
  const names = rowsOf<{ id: string; username: string; displayName: string }>(
    await db.execute(sql`
      select id, username, display_name as "displayName" from users
      where id in (select unnest(${pgArray2(rows.map((row) => row.userId))}::uuid[]))`),
  );
  const byId = new Map(names.map((row) => [row.id, row]));
  return rows.map((row) => ({
    userId: row.userId,
    username: byId.get(row.userId)?.username ?? '',
    displayName: byId.get(row.userId)?.displayName ?? '',
    level: Number(row.level),
    xp: Number(row.xp),
    before: Number(row.before),
  }));
}
