import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import { PROJECTOR_NAME } from '../projector.ts';
import { luaScript, runScript } from './lua.ts';
import { type BoardRow, boardRowsQuery, projectorState } from './rebuild-query.ts';
import { APPLIED_MARKER_SECONDS, versionKey } from './redis-store.ts';

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
 * The projector's position and ahead set, and every board row for them, read in one snapshot and handed to
 * `onRows` a chunk at a time (a million tips make millions of rows: they are never all in memory).
 */
async function snapshot(
  deps: CoreDeps,
  onRows: (rows: BoardRow[]) => Promise<void>,
): Promise<{ position: number; ahead: number[]; rows: number }> {
  return deps.db.transaction(
    async (tx) => {
      const { position, ahead } = await projectorState(tx);
      await tx.execute(
        sql`declare board_rows no scroll cursor for ${boardRowsQuery(position, ahead, deps.clock.now(), true)}`,
      );
      let rows = 0;
      for (;;) {
        const chunk = rowsOf<BoardRow>(await tx.execute(sql.raw(`fetch ${REBUILD_FETCH} from board_rows`)));
        if (chunk.length === 0) break;
        rows += chunk.length;
        await onRows(chunk);
      }
      await tx.execute(sql`close board_rows`);
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
      ...(await scanKeys(redis, `${redis.prefix}lb:applied:*`)),
    ].filter((key) => !key.includes(':rebuild:'));
    const args = [redis.prefix, version, snap.position, keys.size, ...pairs, old.length, ...old];
    const swapped = await runScript(redis.client, SWAP, [], [...args, snap.ahead.length, ...snap.ahead]);
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
    const { position, ahead } = await projectorState(tx);
    await tx.execute(sql`delete from leaderboard_rollups`);
    const inserted = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with written as (
          insert into leaderboard_rollups (board, scope, bucket, member, score)
          select r.board, r.scope, r.bucket, r.member::uuid, r.score::bigint
            from (${boardRowsQuery(position, ahead, deps.clock.now(), false)}) r
          returning 1)
        select count(*)::int as n from written`),
    );
    return { position, keys: 0, rows: Number(inserted[0]?.n ?? 0), ms: performance.now() - started };
  });
}
