import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import { PROJECTOR_NAME, projectorState } from '../projector.ts';
import { luaScript, runScript } from './lua.ts';
import { type BoardRow, boardRowsQuery } from './rebuild-query.ts';
import { LUA_UNPACK_CHUNK, versionKey } from './redis-store.ts';

/** Members written per ZADD while a board is rebuilt. */
const REBUILD_CHUNK = 1_000;
/** A rebuild retries this often when the projector moved the boards under it. */
const REBUILD_ATTEMPTS = 3;
/** The wait before a retry, times the attempt. */
const REBUILD_RETRY_MS = 250;
/** Half-written keys of a rebuild that died are gone after this. */
const REBUILD_KEY_SECONDS = 3_600;

/** Rows fetched per round trip from the rebuild's cursor. */
const REBUILD_FETCH = 20_000;

/**
 * The projector's state (epoch, position, holes), and every board row for them, read in one snapshot and handed to
 * `onRows` a chunk at a time (a million tips make millions of rows: they are never all in memory).
 */
async function snapshot(
  deps: CoreDeps,
  onRows: (rows: BoardRow[]) => Promise<void>,
): Promise<{ epoch: string; position: number; holes: number[]; rows: number }> {
  return deps.db.transaction(
    async (tx) => {
      const { epoch, position, holes: holeMap } = await projectorState(tx);
      const holes = [...holeMap.keys()];
      await tx.execute(
        sql`declare board_rows no scroll cursor for ${boardRowsQuery(position, holes, deps.clock.now(), true)}`,
      );
      let rows = 0;
      for (;;) {
        const chunk = rowsOf<BoardRow>(await tx.execute(sql.raw(`fetch ${REBUILD_FETCH} from board_rows`)));
        if (chunk.length === 0) break;
        rows += chunk.length;
        await onRows(chunk);
      }
      await tx.execute(sql`close board_rows`);
      return { epoch, position, holes, rows };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

// Swaps the rebuilt keys in at once, unless Redis holds anything the snapshot does not (under the same epoch): an
// apply since the rebuild read the version, a position past the snapshot's, or a hole of the snapshot's that Redis
// already filled (a pass whose Postgres transaction had not committed when the snapshot was taken). Then the old
// board keys go and the snapshot's state (position, holes, epoch) is stored.
// ARGV: prefix, version, position, epoch, P, P × (temp, live, ttl), D, D × key, H, H × hole
const SWAP = luaScript(`
local prefix = ARGV[1]
local version = redis.call('GET', prefix .. 'lb:ver') or ''
if version ~= ARGV[2] then return 0 end
local position = tonumber(ARGV[3])
local holesKey = prefix .. 'lb:holes'
local nPairs = tonumber(ARGV[5])
local delAt = 6 + 3 * nPairs
local nDel = tonumber(ARGV[delAt])
local holesAt = delAt + 1 + nDel
local nHoles = tonumber(ARGV[holesAt])
if redis.call('GET', prefix .. 'lb:epoch') == ARGV[4] then
  local wm = tonumber(redis.call('GET', prefix .. 'lb:wm') or '-1')
  if wm > position then return 0 end
  if wm == position then
    for h = 1, nHoles do
      if redis.call('SISMEMBER', holesKey, ARGV[holesAt + h]) == 0 then return 0 end
    end
  end
end
local fresh = {}
for p = 0, nPairs - 1 do
  local at = 6 + 3 * p
  local temp, live, ttl = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  redis.call('RENAME', temp, live)
  if ttl > 0 then redis.call('EXPIRE', live, ttl) else redis.call('PERSIST', live) end
  fresh[live] = true
end
for d = 1, nDel do
  if not fresh[ARGV[delAt + d]] then redis.call('DEL', ARGV[delAt + d]) end
end
redis.call('SET', prefix .. 'lb:wm', ARGV[3])
redis.call('SET', prefix .. 'lb:epoch', ARGV[4])
redis.call('DEL', holesKey)
for h = 1, nHoles, ${LUA_UNPACK_CHUNK} do
  local last = math.min(h + ${LUA_UNPACK_CHUNK} - 1, nHoles)
  local ids = {}
  for j = h, last do ids[#ids + 1] = ARGV[holesAt + j] end
  redis.call('SADD', holesKey, unpack(ids))
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
    const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
    // Live key → its temporary key and TTL; each chunk of rows is written before the next is fetched.
    const keys = new Map<string, { temp: string; ttl: number }>();
    const snap = await snapshot(deps, async (rows) => {
      const members = new Map<string, string[]>();
      for (const row of rows) {
        const live = `${redis.prefix}lb:${row.board}:${row.scope}:${row.bucket}`;
        let key = keys.get(live);
        if (!key) {
          const ttl = row.bucket === 'all' ? 0 : Math.max(1, Math.ceil(Number(row.ttl)));
          key = { temp: `${live}:rebuild:${stamp}`, ttl };
          keys.set(live, key);
        }
        const list = members.get(key.temp) ?? [];
        if (list.length === 0) members.set(key.temp, list);
        list.push(String(Number(row.score)), row.member);
      }
      const writes: Promise<unknown>[] = [];
      for (const [temp, list] of members) {
        for (let at = 0; at < list.length; at += 2 * REBUILD_CHUNK) {
          writes.push(redis.client.send('ZADD', [temp, ...list.slice(at, at + 2 * REBUILD_CHUNK)]));
        }
        writes.push(redis.client.send('EXPIRE', [temp, String(REBUILD_KEY_SECONDS)]));
      }
      await Promise.all(writes);
    });
    const pairs: string[] = [];
    for (const [live, key] of keys) pairs.push(key.temp, live, String(key.ttl));
    const old = [
      ...(await scanKeys(redis, `${redis.prefix}lb:tippers:*`)),
      ...(await scanKeys(redis, `${redis.prefix}lb:streamers:*`)),
    ].filter((key) => !key.includes(':rebuild:'));
    const args = [redis.prefix, version, snap.position, snap.epoch, keys.size, ...pairs, old.length, ...old];
    const swapped = await runScript(redis.client, SWAP, [], [...args, snap.holes.length, ...snap.holes]);
    if (Number(swapped) === 1) {
      return { position: snap.position, keys: keys.size, rows: snap.rows, ms: performance.now() - started };
    }
    const temps = [...keys.values()].map((key) => key.temp);
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
    await tx.execute(sql`select position from projector_cursors where name = ${PROJECTOR_NAME} for update`);
    const { position, holes } = await projectorState(tx);
    await tx.execute(sql`delete from leaderboard_rollups`);
    const inserted = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with written as (
          insert into leaderboard_rollups (board, scope, bucket, member, score)
          select r.board, r.scope, r.bucket, r.member::uuid, r.score::bigint
            from (${boardRowsQuery(position, [...holes.keys()], deps.clock.now(), false)}) r
          returning 1)
        select count(*)::int as n from written`),
    );
    return { position, keys: 0, rows: Number(inserted[0]?.n ?? 0), ms: performance.now() - started };
  });
}
