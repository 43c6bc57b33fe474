import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { roomKings, userLevels, users } from '@app/db/schema';
import { eq, inArray, sql } from 'drizzle-orm';
import { type KingView, publishToRoom, type RoomBusEvent } from '../events/room.ts';
import type { CoreDeps, ProjectionRedis } from '../kernel/deps.ts';
import { KING_HOURS, kingHours } from './boards/keys.ts';
import { luaScript, runScript } from './boards/lua.ts';
import type { AfterCommit } from './projector.ts';

export type KingTop = { userId: string; scoreTokens: number };

// Each streamer's top over the union of their hourly tippers keys; equal scores: the greater member id, as ZREVRANGE.
// ARGV: prefix, hours count, hours..., streamer ids...
const KINGS = luaScript(`
local prefix = ARGV[1]
local nHours = tonumber(ARGV[2])
local out = {}
for s = 3 + nHours, #ARGV do
  local keys = {}
  for h = 1, nHours do keys[h] = prefix .. 'lb:tippers:str:' .. ARGV[s] .. ':' .. ARGV[2 + h] end
  local temp = prefix .. 'lb:king:' .. ARGV[s]
  redis.call('ZUNIONSTORE', temp, nHours, unpack(keys))
  local top = redis.call('ZREVRANGE', temp, 0, 0, 'WITHSCORES')
  redis.call('DEL', temp)
  out[#out + 1] = top[1] or ''
  out[#out + 1] = top[2] or ''
end
return out`);

/**
 * Each streamer's king at `now`: their top tipper over the current hour and the 11 before, net of reversals,
 * anonymous tips left out. Redis reads the hourly keys; without it, the tips themselves.
 */
export async function kingTops(
  deps: CoreDeps,
  db: Executor,
  streamerIds: readonly string[],
): Promise<Map<string, KingTop | null>> {
  const out = new Map<string, KingTop | null>(streamerIds.map((id) => [id, null]));
  if (streamerIds.length === 0) return out;
  const now = deps.clock.now();
  if (deps.redis) return fromRedis(deps.redis, streamerIds, now, out);
  const from = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - (KING_HOURS - 1) * 3_600_000);
  const rows = rowsOf<{ streamerId: string; userId: string; score: number }>(
    await db.execute(sql`
      select distinct on (to_user_id) to_user_id as "streamerId", from_user_id as "userId", score::float8 as score
      from (
        select to_user_id, from_user_id, sum(amount_tokens - coalesce(reversed_tokens, 0)) as score
        from tips
        where to_user_id = any(${`{${streamerIds.join(',')}}`}::uuid[]) and not anonymous
          and created_at >= ${from.toISOString()}::timestamptz
          and created_at < ${new Date(from.getTime() + KING_HOURS * 3_600_000).toISOString()}::timestamptz
        group by 1, 2
      ) t
      where score > 0
      order by to_user_id, score desc, from_user_id desc`),
  );
  for (const row of rows) out.set(row.streamerId, { userId: row.userId, scoreTokens: Number(row.score) });
  return out;
}

async function fromRedis(
  redis: ProjectionRedis,
  streamerIds: readonly string[],
  now: Date,
  out: Map<string, KingTop | null>,
) {
  const hours = kingHours(now);
  const flat = (await runScript(
    redis.client,
    KINGS,
    [],
    [redis.prefix, hours.length, ...hours, ...streamerIds],
  )) as string[];
  streamerIds.forEach((id, index) => {
    const member = flat[2 * index];
    if (member) out.set(id, { userId: member, scoreTokens: Number(flat[2 * index + 1]) });
  });
  return out;
}

/** How the room sees a king: no name for one who hides from boards. */
async function kingViews(db: Executor, rows: { userId: string | null; scoreTokens: number; since: Date }[]) {
  const ids = rows.map((row) => row.userId).filter((id): id is string => id !== null);
  const people =
    ids.length === 0
      ? []
      : await db
          .select({
            id: users.id,
            username: users.username,
            displayName: users.displayName,
            avatarUrl: users.avatarUrl,
            hidden: userLevels.hiddenFromBoards,
          })
          .from(users)
          .leftJoin(userLevels, eq(userLevels.userId, users.id))
          .where(inArray(users.id, ids));
  const byId = new Map(people.map((person) => [person.id, person]));
  return rows.map((row): KingView | null => {
    if (row.userId === null) return null;
    const person = byId.get(row.userId);
    const user =
      !person || person.hidden
        ? null
        : {
            id: person.id,
            username: person.username,
            displayName: person.displayName,
            avatarUrl: person.avatarUrl,
          };
    return { user, scoreTokens: row.scoreTokens, since: row.since.toISOString() };
  });
}

/**
 * Recomputes the kings of `rooms` (streamer → the stream to announce on) and stores them in `room_kings`; returns
 * what to announce after commit: `king.changed` for each room whose top member changed (or whose crown lapsed).
 */
export async function refreshKings(
  deps: CoreDeps,
  db: Executor,
  rooms: Map<string, string>,
): Promise<AfterCommit | undefined> {
  if (rooms.size === 0) return undefined;
  const streamerIds = [...rooms.keys()];
  const [tops, stored] = await Promise.all([
    kingTops(deps, db, streamerIds),
    db.select().from(roomKings).where(inArray(roomKings.streamerId, streamerIds)),
  ]);
  const before = new Map(stored.map((row) => [row.streamerId, row]));
  const now = deps.clock.now();
  const changed: { streamerId: string; userId: string | null; scoreTokens: number; since: Date }[] = [];
  const writes: { streamerId: string; userId: string | null; scoreTokens: number }[] = [];
  for (const streamerId of streamerIds) {
    const top = tops.get(streamerId) ?? null;
    const old = before.get(streamerId);
    const userId = top?.userId ?? null;
    const scoreTokens = top?.scoreTokens ?? 0;
    if ((old?.userId ?? null) !== userId) changed.push({ streamerId, userId, scoreTokens, since: now });
    if ((old?.userId ?? null) !== userId || (old && old.scoreTokens !== scoreTokens)) {
      writes.push({ streamerId, userId, scoreTokens });
    }
  }
  if (writes.length > 0) {
    // One statement for the pass; `since` moves only when the crown changes hands.
    await db.execute(sql`
      insert into room_kings (streamer_id, user_id, score_tokens, since)
      select r.streamer_id, r.user_id, r.score_tokens, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(writes.map((w) => ({ streamer_id: w.streamerId, user_id: w.userId, score_tokens: w.scoreTokens })))}::text::jsonb)
          as r(streamer_id uuid, user_id uuid, score_tokens bigint)
      on conflict (streamer_id) do update set user_id = excluded.user_id, score_tokens = excluded.score_tokens,
        since = case when room_kings.user_id is distinct from excluded.user_id then excluded.since
          else room_kings.since end`);
  }
  if (changed.length === 0) return undefined;
  const views = await kingViews(db, changed);
  const events: { streamId: string; event: RoomBusEvent }[] = changed.map((row, index) => {
    const streamId = rooms.get(row.streamerId)!;
    return {
      streamId,
      event: { type: 'king.changed', streamId, streamerId: row.streamerId, king: views[index]! },
    };
  });
  return async () => {
    for (const { streamId, event } of events) await publishToRoom(deps.bus, streamId, event);
  };
}

/** The rooms that have a king now, with each streamer's latest stream (where a lapse is announced). */
export async function crownedRooms(db: Executor): Promise<Map<string, string>> {
  const rows = rowsOf<{ streamerId: string; streamId: string }>(
    await db.execute(sql`
      select distinct on (k.streamer_id) k.streamer_id as "streamerId", s.id as "streamId"
      from room_kings k join streams s on s.streamer_id = k.streamer_id
      where k.user_id is not null
      order by k.streamer_id, s.created_at desc`),
  );
  return new Map(rows.map((row) => [row.streamerId, row.streamId]));
}

/** A room's king as stored (the arrival snapshot's), or null when it has none. */
export async function storedKing(db: Executor, streamerId: string): Promise<KingView | null> {
  const [row] = await db.select().from(roomKings).where(eq(roomKings.streamerId, streamerId)).limit(1);
  if (!row || row.userId === null) return null;
  return (await kingViews(db, [row]))[0] ?? null;
}
