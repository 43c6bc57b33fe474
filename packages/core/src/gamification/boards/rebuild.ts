import type { Executor } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import { PROJECTOR_NAME } from '../projector.ts';
import { luaScript, runScript } from './lua.ts';
import { APPLIED_MARKER_SECONDS, versionKey } from './redis-store.ts';

/** Members written per ZADD while a board is rebuilt. */
const REBUILD_CHUNK = 1_000;
/** A rebuild retries this often when the projector moved the boards under it. */
const REBUILD_ATTEMPTS = 3;
/** The wait before a retry, times the attempt. */
const REBUILD_RETRY_MS = 250;
/** Half-written keys of a rebuild that died are gone after this. */
const REBUILD_KEY_SECONDS = 3_600;

export type BoardRow = {
  board: string;
  scope: string;
  bucket: string;
  member: string;
  score: number;
  ttl: number;
};
export type BoardSnapshot = { position: number; ahead: number[]; rows: BoardRow[] };

/**
 * Every board row as the ledger has it, for the facts the projector has applied (at or below its position, or in
 * its ahead set): tips net of their applied reversals, summed per board, scope, bucket and member, with the same
 * regions, categories and UTC buckets as the live path (`tipIncrements`). `live` keeps only the buckets whose
 * Redis key would still be alive, with its seconds left, and the hourly buckets of rooms; otherwise every bucket
 * but the hours (the rollup's).
 */
async function boardRows(
  db: Executor,
  position: number,
  ahead: number[],
  now: Date,
  live: boolean,
): Promise<BoardRow[]> {
  const aheadArray = `{${ahead.join(',')}}`;
  const at = sql`${now.toISOString()}::timestamptz at time zone 'UTC'`;
  const isApplied = (column: string) =>
    sql`(${sql.raw(column)} <= ${position} or ${sql.raw(column)} = any(${aheadArray}::bigint[]))`;
  return rowsOf<BoardRow>(
    await db.execute(sql`
      with codes as (
        select r.id,
          case when r.kind = 'continent' then r.code when p.kind = 'continent' then p.code
            when g.kind = 'continent' then g.code end as cont,
          case when r.kind = 'country' then r.code when p.kind = 'country' then p.code end as ctry
        from regions r left join regions p on p.id = r.parent_id left join regions g on g.id = p.parent_id
      ), applied as (
        select t.from_user_id as tipper, t.to_user_id as streamer, s.category_id as cat, t.anonymous,
          t.created_at at time zone 'UTC' as at,
          t.amount_tokens - case when ${isApplied('t.reversal_transaction_id')}
            then coalesce(t.reversed_tokens, 0) else 0 end as net
        from tips t left join streams s on s.id = t.stream_id
        where ${isApplied('t.ledger_transaction_id')}
      ), bucketed as (
        select a.tipper, a.streamer, a.cat, a.anonymous, a.net, b.bucket, b.until
        from applied a
        cross join lateral (values
          (to_char(a.at, '"d:"YYYY-MM-DD'), date_trunc('day', a.at) + interval '4 days'),
          (to_char(a.at, '"w:"IYYY-"W"IW'), date_trunc('week', a.at) + interval '23 days'),
          (to_char(a.at, '"m:"YYYY-MM'), date_trunc('month', a.at) + interval '1 month' + interval '63 days'),
          ('all', null),
          (case when ${live}::boolean and not a.anonymous then to_char(a.at, '"h:"YYYYMMDDHH24') end,
            date_trunc('hour', a.at) + interval '14 hours')
        ) as b(bucket, until)
        where b.bucket is not null and (not ${live}::boolean or b.until is null or b.until > ${at})
      ), by_streamer as (
        select streamer, cat, bucket, min(until) as until, sum(net) as net from bucketed
        where bucket not like 'h:%' group by 1, 2, 3
      ), by_tipper as (
        select tipper, cat, bucket, min(until) as until, sum(net) as net from bucketed
        where not anonymous and bucket not like 'h:%' group by 1, 2, 3
      ), by_room as (
        select streamer, tipper, bucket, min(until) as until, sum(net) as net from bucketed
        where not anonymous group by 1, 2, 3
      ), rows as (
        select 'streamers' as board, k.scope, r.bucket, r.streamer as member, sum(r.net) as score,
          min(r.until) as until
        from by_streamer r left join users u on u.id = r.streamer left join codes c on c.id = u.region_id
        cross join lateral (values ('g'), ('cont:' || c.cont), ('ctry:' || c.ctry), ('cat:' || r.cat)) as k(scope)
        where k.scope is not null group by 1, 2, 3, 4
        union all
        select 'tippers', k.scope, r.bucket, r.tipper, sum(r.net), min(r.until)
        from by_tipper r left join users u on u.id = r.tipper left join codes c on c.id = u.region_id
        cross join lateral (values ('g'), ('cont:' || c.cont), ('ctry:' || c.ctry), ('cat:' || r.cat)) as k(scope)
        where k.scope is not null group by 1, 2, 3, 4
        union all
        select 'tippers', 'str:' || r.streamer, r.bucket, r.tipper, r.net, r.until from by_room r
      )
      select board, scope, bucket, member::text as member, score::float8 as score,
        coalesce(extract(epoch from until - ${at}), 0)::float8 as ttl
      from rows where score > 0`),
  );
}

/** The projector's position and ahead set, and every board row for them, read in one snapshot. */
async function snapshot(deps: CoreDeps, live: boolean): Promise<BoardSnapshot> {
  return deps.db.transaction(
    async (tx) => {
      const state = rowsOf<{ position: number | null; applied: number | null }>(
        await tx.execute(sql`
          select c.position::float8 as position, null::float8 as applied from projector_cursors c
            where c.name = ${PROJECTOR_NAME}
          union all
          select null, a.transaction_id::float8 from projector_applied a where a.name = ${PROJECTOR_NAME}`),
      );
      let position = 0;
      const ahead: number[] = [];
      for (const row of state) {
        if (row.position !== null) position = Number(row.position);
        if (row.applied !== null) ahead.push(Number(row.applied));
      }
      const rows = await boardRows(tx, position, ahead, deps.clock.now(), live);
      return { position, ahead, rows };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

// Swaps the rebuilt keys in at once, unless Redis holds anything the snapshot does not: an apply since the rebuild
// read the version, a watermark past the snapshot's position, or a fact applied ahead that the snapshot has not
// (a pass whose Postgres transaction had not committed when the snapshot was taken). Then the old board keys and
// markers go, the watermark becomes the snapshot's position, and the snapshot's ahead ids are marked.
// ARGV: prefix, version, position, P, P × (temp, live, ttl), D, D × key, A, A × id
const SWAP = luaScript(`
local prefix = ARGV[1]
local version = redis.call('GET', prefix .. 'lb:ver') or ''
if version ~= ARGV[2] then return 0 end
local position = tonumber(ARGV[3])
if tonumber(redis.call('GET', prefix .. 'lb:wm') or '-1') > position then return 0 end
local nPairs = tonumber(ARGV[4])
local delAt = 5 + 3 * nPairs
local nDel = tonumber(ARGV[delAt])
local aheadAt = delAt + 1 + nDel
local ahead = {}
for a = 1, tonumber(ARGV[aheadAt]) do ahead[ARGV[aheadAt + a]] = true end
local markerPrefix = prefix .. 'lb:applied:'
for d = 1, nDel do
  local key = ARGV[delAt + d]
  if string.sub(key, 1, #markerPrefix) == markerPrefix then
    local id = string.sub(key, #markerPrefix + 1)
    if tonumber(id) > position and not ahead[id] then return 0 end
  end
end
local fresh = {}
for p = 0, nPairs - 1 do
  local at = 5 + 3 * p
  local temp, live, ttl = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  redis.call('RENAME', temp, live)
  if ttl > 0 then redis.call('EXPIRE', live, ttl) else redis.call('PERSIST', live) end
  fresh[live] = true
end
for d = 1, nDel do
  if not fresh[ARGV[delAt + d]] then redis.call('DEL', ARGV[delAt + d]) end
end
redis.call('SET', prefix .. 'lb:wm', ARGV[3])
for a = 1, tonumber(ARGV[aheadAt]) do
  redis.call('SET', markerPrefix .. ARGV[aheadAt + a], '1', 'EX', ${APPLIED_MARKER_SECONDS})
end
redis.call('INCR', prefix .. 'lb:ver')
return 1`);

async function scanKeys(redis: ProjectionRedis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = (await redis.client.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [
      string,
      string[],
    ];
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

export type RebuildResult = { position: number; keys: number; rows: number; ms: number };

/**
 * Rebuilds every board from Postgres: into Redis when there is one (new keys swapped in atomically, the watermark at
 * the snapshot's position), else the rollup table (replaced in one transaction). Safe while the projector runs.
 */
export async function rebuildBoards(deps: CoreDeps): Promise<RebuildResult> {
  const started = performance.now();
  if (!deps.redis) return rebuildRollup(deps, started);
  const redis = deps.redis;
  for (let attempt = 1; ; attempt++) {
    const version = ((await redis.client.send('GET', [versionKey(redis.prefix)])) as string | null) ?? '';
    const snap = await snapshot(deps, true);
    const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const byKey = new Map<string, { ttl: number; members: (string | number)[] }>();
    for (const row of snap.rows) {
      const live = `${redis.prefix}lb:${row.board}:${row.scope}:${row.bucket}`;
      let entry = byKey.get(live);
      if (!entry) {
        entry = { ttl: Math.max(1, Math.ceil(Number(row.ttl))), members: [] };
        if (row.bucket === 'all') entry.ttl = 0;
        byKey.set(live, entry);
      }
      entry.members.push(Number(row.score), row.member);
    }
    const pairs: string[] = [];
    const writes: Promise<unknown>[] = [];
    for (const [live, entry] of byKey) {
      const temp = `${live}:rebuild:${stamp}`;
      for (let at = 0; at < entry.members.length; at += 2 * REBUILD_CHUNK) {
        const chunk = entry.members.slice(at, at + 2 * REBUILD_CHUNK).map(String);
        writes.push(redis.client.send('ZADD', [temp, ...chunk]));
      }
      writes.push(redis.client.send('EXPIRE', [temp, String(REBUILD_KEY_SECONDS)]));
      pairs.push(temp, live, String(entry.ttl));
    }
    await Promise.all(writes);
    const old = [
      ...(await scanKeys(redis, `${redis.prefix}lb:tippers:*`)),
      ...(await scanKeys(redis, `${redis.prefix}lb:streamers:*`)),
      ...(await scanKeys(redis, `${redis.prefix}lb:applied:*`)),
    ].filter((key) => !key.includes(':rebuild:'));
    const swapped = await runScript(
      redis.client,
      SWAP,
      [],
      [
        redis.prefix,
        version,
        snap.position,
        byKey.size,
        ...pairs,
        old.length,
        ...old,
        snap.ahead.length,
        ...snap.ahead,
      ],
    );
    if (Number(swapped) === 1) {
      return {
        position: snap.position,
        keys: byKey.size,
        rows: snap.rows.length,
        ms: performance.now() - started,
      };
    }
    const temps = pairs.filter((_, index) => index % 3 === 0);
    if (temps.length > 0) await redis.client.send('UNLINK', temps);
    if (attempt >= REBUILD_ATTEMPTS) {
      throw new Error('The boards kept moving while they were rebuilt; try again.');
    }
    // The projector is mid-pass (Redis is ahead of its committed cursor): give it time to commit.
    await Bun.sleep(REBUILD_RETRY_MS * attempt);
  }
}

async function rebuildRollup(deps: CoreDeps, started: number): Promise<RebuildResult> {
  return deps.db.transaction(async (tx) => {
    // The projector's own lock: no pass applies while the rollup is replaced.
    await tx.execute(sql`
      insert into projector_cursors (name) values (${PROJECTOR_NAME}) on conflict (name) do nothing`);
    const [cursor] = rowsOf<{ position: number }>(
      await tx.execute(sql`
        select position::float8 as position from projector_cursors where name = ${PROJECTOR_NAME} for update`),
    );
    const ahead = rowsOf<{ id: number }>(
      await tx.execute(sql`
        select transaction_id::float8 as id from projector_applied where name = ${PROJECTOR_NAME}`),
    ).map((row) => Number(row.id));
    const position = Number(cursor?.position ?? 0);
    const rows = await boardRows(tx, position, ahead, deps.clock.now(), false);
    await tx.execute(sql`delete from leaderboard_rollups`);
    for (let at = 0; at < rows.length; at += 5_000) {
      const chunk = rows.slice(at, at + 5_000).map(({ ttl: _ttl, ...row }) => row);
      await tx.execute(sql`
        insert into leaderboard_rollups (board, scope, bucket, member, score)
        select r.board, r.scope, r.bucket, r.member, r.score
          from jsonb_to_recordset(${JSON.stringify(chunk)}::text::jsonb)
            as r(board text, scope text, bucket text, member uuid, score bigint)`);
    }
    return { position, keys: 0, rows: rows.length, ms: performance.now() - started };
  });
}
