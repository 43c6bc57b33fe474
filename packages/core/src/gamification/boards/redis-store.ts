import type { ProjectionRedis } from '../../kernel/deps.ts';
import type { TipFact } from '../facts.ts';
import type { ProjectorState } from '../projector.ts';
import {
  type Board,
  bucketTtl,
  hourBucket,
  NO_REGION,
  periodBuckets,
  type RegionScope,
  relativeKey,
  tipScopes,
} from './keys.ts';
import { luaScript, runScript } from './lua.ts';

/** The ledger position the boards hold every fact at or below (except the holes); missing when Redis lost them. */
export const watermarkKey = (prefix: string) => `${prefix}lb:wm`;
/** The ids below the watermark that were not applied yet (a set), and the cursor's epoch the state belongs to. */
export const holesKey = (prefix: string) => `${prefix}lb:holes`;
export const epochKey = (prefix: string) => `${prefix}lb:epoch`;
/** Bumped by every apply: a rebuild that saw another number before its snapshot does not swap its keys in. */
export const versionKey = (prefix: string) => `${prefix}lb:ver`;

/** Ids per SADD inside a script (Lua's unpack is bounded). */
export const LUA_UNPACK_CHUNK = 1_000;

// One call per pass, exactly once per fact: a fact is applied when its id is above the stored position or one of the
// stored holes (the projector's own rule), then the pass's state replaces the stored one. A state of another epoch
// (the database was reset under this Redis) is refused: the boards are rebuilt instead; a pass from behind the stored
// position (a stale holder) is ignored.
// The score changes come summed from the caller (`boardWrites`), for every fact it sends: the script applies them
// only when every one of those facts is new to it, and otherwise answers which are (`PARTIAL`, nothing written), for
// the caller to send again with only those (a pass retried after Redis took it, a rebuild's state). A member at 0 or
// less leaves the board. The bulk of the call is JSON (cjson decodes it in C; an argument per number costs about
// a microsecond each, more than the ZINCRBY it feeds).
// ARGV: prefix, epoch, position, holes (JSON strings), fact ids (JSON numbers),
// writes (JSON: [members, [key, ttl, pruned (0|1), [member index, delta, …]], …]).
const APPLY = luaScript(`
local prefix = ARGV[1]
local position = tonumber(ARGV[3])
local wmKey, holesKey = prefix .. 'lb:wm', prefix .. 'lb:holes'
local wmRaw = redis.call('GET', wmKey)
if not wmRaw then return redis.error_reply('NOWM the boards have no watermark') end
if redis.call('GET', prefix .. 'lb:epoch') ~= ARGV[2] then return redis.error_reply('NOWM another epoch') end
local wm = tonumber(wmRaw)
-- A pass from behind the stored state (a holder whose lease was taken over) changes nothing.
if position < wm then return {'STALE'} end
local ids = cjson.decode(ARGV[5])
local new, old = {}, 0
for f = 1, #ids do
  local id = ids[f]
  local idRaw = string.format('%.0f', id)
  if id > wm or redis.call('SISMEMBER', holesKey, idRaw) == 1 then new[#new + 1] = idRaw else old = old + 1 end
end
if old > 0 then
  table.insert(new, 1, 'PARTIAL')
  return new
end
local writes = cjson.decode(ARGV[6])
local members = writes[1]
for k = 2, #writes do
  local write = writes[k]
  local key = prefix .. 'lb:' .. write[1]
  local changes = write[4]
  for c = 1, #changes, 2 do redis.call('ZINCRBY', key, changes[c + 1], members[changes[c]]) end
  if write[3] == 1 then redis.call('ZREMRANGEBYSCORE', key, '-inf', '0') end
  if write[2] > 0 then redis.call('EXPIRE', key, write[2]) end
end
redis.call('SET', wmKey, ARGV[3])
redis.call('DEL', holesKey)
local holes = cjson.decode(ARGV[4])
for h = 1, #holes, ${LUA_UNPACK_CHUNK} do
  redis.call('SADD', holesKey, unpack(holes, h, math.min(h + ${LUA_UNPACK_CHUNK} - 1, #holes)))
end
if #ids > 0 then redis.call('INCR', prefix .. 'lb:ver') end
return {'OK'}`);

/** Calls of the script per pass at most: each `PARTIAL` answer narrows the facts, and only another holder moves. */
const APPLY_ATTEMPTS = 4;

export class MissingWatermark extends Error {}

type Group = { fact: TipFact; board: Board; hour: string; delta: number };

/**
 * The score changes of `facts`, as the script's `writes` argument. Facts are summed per group first: a streamer's
 * tips of one room, category and hour move the same keys by one sum, and so do one tipper's there. Key lists are
 * worked out once per board, scope and hour (which fixes the day, week and month); a pass names thousands of them.
 */
export function boardWrites(facts: readonly TipFact[], regions: Map<string, RegionScope>): string {
  const groups = new Map<string, Group>();
  const addTo = (id: string, fact: TipFact, board: Board, hour: string) => {
    const group = groups.get(id);
    if (group) group.delta += fact.amountTokens;
    else groups.set(id, { fact, board, hour, delta: fact.amountTokens });
  };
  for (const fact of facts) {
    if (fact.amountTokens === 0) continue;
    const hour = hourBucket(fact.tippedAt);
    const place = `${fact.streamerId}|${fact.categoryId}|${hour}`;
    addTo(`s|${place}`, fact, 'streamers', hour);
    if (!fact.anonymous) addTo(`t|${fact.tipperId}|${place}`, fact, 'tippers', hour);
  }
  const members: string[] = [];
  const memberIndex = new Map<string, number>();
  const keys: { key: string; ttl: number; pruned: number; changes: number[] }[] = [];
  const keyIndex = new Map<string, number>();
  const keyLists = new Map<string, number[]>();
  const keysOf = (board: Board, scope: string, at: Date, hour: string, withHour: boolean) => {
    const id = `${board}:${scope}|${hour}|${withHour}`;
    let list = keyLists.get(id);
    if (!list) {
      const buckets = withHour ? [...periodBuckets(at), hour] : periodBuckets(at);
      list = buckets.map((bucket) => {
        const key = relativeKey({ board, scope, bucket });
        let index = keyIndex.get(key);
        if (index === undefined) {
          index = keys.length;
          keys.push({ key, ttl: bucketTtl(bucket), pruned: 0, changes: [] });
          keyIndex.set(key, index);
        }
        return index;
      });
      keyLists.set(id, list);
    }
    return list;
  };
  for (const { fact, board, hour, delta } of groups.values()) {
    if (delta === 0) continue;
    const memberId = board === 'streamers' ? fact.streamerId : fact.tipperId;
    let member = memberIndex.get(memberId);
    if (member === undefined) {
      members.push(memberId);
      member = members.length;
      memberIndex.set(memberId, member);
    }
    const scopes = tipScopes(
      fact,
      regions.get(fact.tipperId) ?? NO_REGION,
      regions.get(fact.streamerId) ?? NO_REGION,
    );
    const lists = scopes[board].map((scope) => keysOf(board, scope, fact.tippedAt, hour, false));
    if (board === 'tippers' && scopes.room) lists.push(keysOf(board, scopes.room, fact.tippedAt, hour, true));
    for (const list of lists) {
      for (const k of list) {
        const key = keys[k]!;
        key.changes.push(member, delta);
        if (delta < 0) key.pruned = 1;
      }
    }
  }
  const writes: unknown[] = [members];
  for (const { key, ttl, pruned, changes } of keys) writes.push([key, ttl, pruned, changes]);
  return JSON.stringify(writes);
}

/**
 * Applies a pass's tip facts to the Redis boards (every fact of the pass, applied or not: the script skips what it
 * holds) and stores the pass's projector state. Returns the ids applied now.
 */
export async function applyToRedis(
  redis: ProjectionRedis,
  facts: readonly TipFact[],
  next: ProjectorState,
  regions: Map<string, RegionScope>,
): Promise<Set<number>> {
  const holes = JSON.stringify([...next.holes.keys()].map(String));
  let sending = facts;
  for (let attempt = 1; attempt <= APPLY_ATTEMPTS; attempt++) {
    const ids = JSON.stringify(sending.map((fact) => fact.transactionId));
    const args = [redis.prefix, next.epoch, next.position, holes, ids, boardWrites(sending, regions)];
    let reply: string[];
    try {
      reply = (await runScript(redis.client, APPLY, [], args)) as string[];
    } catch (error) {
      if (String((error as Error).message).includes('NOWM')) throw new MissingWatermark();
      throw error;
    }
    if (reply[0] === 'OK') return new Set(sending.map((fact) => fact.transactionId));
    if (reply[0] === 'STALE') return new Set();
    const fresh = new Set(reply.slice(1).map(Number));
    sending = sending.filter((fact) => fresh.has(fact.transactionId));
  }
  throw new Error('The boards kept moving while a pass was applied to them; the next pass tries again.');
}

/** Whether Redis holds the boards (false after a flush or on a new server: they are rebuilt first). */
export async function hasWatermark(redis: ProjectionRedis): Promise<boolean> {
  return (await redis.client.send('EXISTS', [watermarkKey(redis.prefix)])) === 1;
}

/** Whether Redis holds the boards of this cursor's epoch (else they are rebuilt before a pass applies to them). */
export async function holdsBoards(redis: ProjectionRedis, epoch: string): Promise<boolean> {
  const [position, stored] = (await redis.client.send('MGET', [
    watermarkKey(redis.prefix),
    epochKey(redis.prefix),
  ])) as [string | null, string | null];
  return position !== null && stored === epoch;
}
