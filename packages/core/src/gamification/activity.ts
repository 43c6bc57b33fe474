import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { ACTIVITY_XP_MAX, CHAT_XP_PER_DAY, SPEND_LEVEL_START, WATCH_XP_PER_DAY } from './levels.ts';
import { announceLevelUps } from './xp.ts';
import { pgArray2, recomputeViewerLevels, utcDay, withoutJit } from './xp-store.ts';

// Activity XP (chatting, watching) for users below level 10: counted in this process and written in one batched
// statement every few seconds, so a chat line costs no database write of its own.

/** How often counted activity is written. */
export const ACTIVITY_FLUSH_MS = 5_000;

type Counts = { chat: number; watch: number };
type Counter = { day: string; counts: Map<string, Counts>; timer: ReturnType<typeof setTimeout> | null };

/** Per database (one per process in production, one per test file). */
const counters = new WeakMap<object, Counter>();
/** Users already credited for a watch minute, per database, when there is no Redis (one node). */
const watchedMinutes = new WeakMap<object, { minute: number; users: Set<string> }>();

function counterOf(deps: CoreDeps): Counter {
  let counter = counters.get(deps.db);
  if (!counter) {
    counter = { day: utcDay(deps.clock.now()), counts: new Map(), timer: null };
    counters.set(deps.db, counter);
  }
  return counter;
}

function count(deps: CoreDeps, userId: string, kind: keyof Counts, by: number) {
  const counter = counterOf(deps);
  const day = utcDay(deps.clock.now());
  if (day !== counter.day) {
    // A new UTC day: what was counted yesterday is written under yesterday.
    const previous = { day: counter.day, counts: counter.counts };
    counter.day = day;
    counter.counts = new Map();
    void write(deps, previous.day, previous.counts).catch(() => {});
  }
  const counts = counter.counts.get(userId) ?? { chat: 0, watch: 0 };
  counts[kind] += by;
  counter.counts.set(userId, counts);
  counter.timer ??= setTimeout(() => {
    counter.timer = null;
    void flushActivity(deps).catch(() => {});
  }, ACTIVITY_FLUSH_MS);
  (counter.timer as { unref?: () => void }).unref?.();
}

/** Counts one chat line of a user (its XP is written with the next flush). */
export function countChat(deps: CoreDeps, userId: string): void {
  count(deps, userId, 'chat', 1);
}

/**
 * Credits one watch minute to each signed-in viewer of a live room: once per user per minute, however many tabs,
 * rooms or server nodes they watch from (Redis `SET NX` per user and minute across nodes).
 */
export async function creditWatchMinute(
  deps: CoreDeps,
  viewers: readonly { userId: string; streamId: string }[],
): Promise<number> {
  if (viewers.length === 0) return 0;
  const live = new Set(
    rowsOf<{ id: string }>(
      await deps.db.execute(sql`
        select id from streams where status = 'live'
          and id = any(${pgArray2([...new Set(viewers.map((v) => v.streamId))])}::uuid[])`),
    ).map((r) => r.id),
  );
  const users = [...new Set(viewers.filter((v) => live.has(v.streamId)).map((v) => v.userId))];
  const minute = Math.floor(deps.clock.now().getTime() / 60_000);
  let credited: string[];
  if (deps.redis) {
    const { client, prefix } = deps.redis;
    const taken = await Promise.all(
      users.map((u) => client.send('SET', [`${prefix}xp:watch:${u}:${minute}`, '1', 'NX', 'EX', '180'])),
    );
    credited = users.filter((_, i) => taken[i] === 'OK');
  } else {
    let seen = watchedMinutes.get(deps.db);
    if (!seen || seen.minute !== minute) {
      seen = { minute, users: new Set() };
      watchedMinutes.set(deps.db, seen);
    }
    const fresh = seen;
    credited = users.filter((u) => !fresh.users.has(u));
    for (const u of credited) fresh.users.add(u);
  }
  for (const u of credited) count(deps, u, 'watch', 1);
  return credited.length;
}

/** Writes what was counted (tests call it to flush on demand). */
export async function flushActivity(deps: CoreDeps): Promise<void> {
  const counter = counterOf(deps);
  if (counter.timer) {
    clearTimeout(counter.timer);
    counter.timer = null;
  }
  const counts = counter.counts;
  const day = counter.day;
  counter.counts = new Map();
  try {
    await write(deps, day, counts);
  } catch (error) {
    // Not written: counted again with the next flush (the day's caps still apply then).
    if (counter.day === day) {
      for (const [userId, c] of counts) {
        const now = counter.counts.get(userId) ?? { chat: 0, watch: 0 };
        counter.counts.set(userId, { chat: now.chat + c.chat, watch: now.watch + c.watch });
      }
    }
    throw error;
  }
}

/**
 * One transaction for every counted user: locks their level rows (in id order), adds the day's XP up to each cap,
 * adds what was actually gained to `activity_xp` (never past the level-9 threshold), and recomputes their levels.
 * Users at level 10 or above, or already at the threshold, gain nothing.
 */
async function write(deps: CoreDeps, day: string, counts: Map<string, Counts>): Promise<void> {
  if (counts.size === 0) return;
  const ids = [...counts.keys()].sort();
  const chat = `{${ids.map((u) => counts.get(u)!.chat).join(',')}}`;
  const watch = `{${ids.map((u) => counts.get(u)!.watch).join(',')}}`;
  const changes = await deps.db.transaction(async (tx) => {
    await withoutJit(tx);
    const eligible = rowsOf<{ userId: string }>(
      await tx.execute(sql`
        select user_id as "userId" from user_levels
        where user_id = any(${pgArray2(ids)}::uuid[]) and standing_purchases <= 0 and spend_xp <= 0
          and activity_xp < ${ACTIVITY_XP_MAX} and level < ${SPEND_LEVEL_START}
        order by user_id for update`),
    ).map((r) => r.userId);
    if (eligible.length === 0) return [];
    await tx.execute(sql`
      with input as (
        select i.user_id, i.chat, i.watch
        from unnest(${pgArray2(ids)}::uuid[], ${chat}::int[], ${watch}::int[]) as i(user_id, chat, watch)
        where i.user_id = any(${pgArray2(eligible)}::uuid[])
      ),
      old as (
        select d.user_id, d.chat_xp, d.watch_xp from user_activity_days d
        where d.day = ${day}::date and d.user_id in (select user_id from input)
      ),
      days as (
        insert into user_activity_days (user_id, day, chat_xp, watch_xp)
        select user_id, ${day}::date, least(chat, ${CHAT_XP_PER_DAY}), least(watch, ${WATCH_XP_PER_DAY}) from input
        on conflict (user_id, day) do update set
          chat_xp = least(${CHAT_XP_PER_DAY}, user_activity_days.chat_xp + excluded.chat_xp),
          watch_xp = least(${WATCH_XP_PER_DAY}, user_activity_days.watch_xp + excluded.watch_xp)
        returning user_id, chat_xp, watch_xp
      )
      update user_levels u set
        activity_xp = least(${ACTIVITY_XP_MAX}, u.activity_xp
          + (d.chat_xp - coalesce(o.chat_xp, 0)) + (d.watch_xp - coalesce(o.watch_xp, 0)))
      from days d left join old o on o.user_id = d.user_id
      where u.user_id = d.user_id`);
    return recomputeViewerLevels(tx, eligible, deps.clock.now());
  });
  await announceLevelUps(deps, { viewers: changes, streamers: [] });
}
