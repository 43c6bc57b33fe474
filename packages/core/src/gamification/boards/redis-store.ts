import type { ProjectionRedis } from '../../kernel/deps.ts';
import type { TipFact } from '../facts.ts';
import type { ProjectorState } from '../projector.ts';
import {
  type BoardIncrement,
  bucketTtl,
  hourBucket,
  type RegionScope,
  relativeKey,
  tipIncrements,
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
// Score changes are summed per (key, member) before they are written; a member at 0 or less leaves the board. Facts
// of the same room, category, hour and tipper region move the same keys, so key lists are sent once as key sets.
// ARGV: prefix, epoch, position, H, H × hole, K, K × (key, ttl), M, M × member, S, S × (n, n × key),
// F, F × (id, delta, streamer, tipper, streamer set, tipper set); set 0 is the empty set.
const APPLY = luaScript(`
local prefix = ARGV[1]
local position = tonumber(ARGV[3])
local wmKey, holesKey = prefix .. 'lb:wm', prefix .. 'lb:holes'
local wmRaw = redis.call('GET', wmKey)
if not wmRaw then return redis.error_reply('NOWM the boards have no watermark') end
if redis.call('GET', prefix .. 'lb:epoch') ~= ARGV[2] then return redis.error_reply('NOWM another epoch') end
local wm = tonumber(wmRaw)
-- A pass from behind the stored state (a holder whose lease was taken over) changes nothing.
if position < wm then return {} end
local i = 4
local nHoles = tonumber(ARGV[i]); i = i + 1
local holes = {}
for h = 1, nHoles do holes[h] = ARGV[i]; i = i + 1 end
local nKeys = tonumber(ARGV[i]); i = i + 1
local keys, ttls = {}, {}
for k = 1, nKeys do keys[k] = prefix .. 'lb:' .. ARGV[i]; ttls[k] = tonumber(ARGV[i + 1]); i = i + 2 end
local nMembers = tonumber(ARGV[i]); i = i + 1
local members = {}
for m = 1, nMembers do members[m] = ARGV[i]; i = i + 1 end
local nSets = tonumber(ARGV[i]); i = i + 1
local sets = {}
sets[0] = {}
for s = 1, nSets do
  local n = tonumber(ARGV[i]); i = i + 1
  local set = {}
  for j = 1, n do set[j] = tonumber(ARGV[i]); i = i + 1 end
  sets[s] = set
end
local nFacts = tonumber(ARGV[i]); i = i + 1
local sums, negative, applied = {}, {}, {}
local function add(set, m, d)
  for _, k in ipairs(set) do
    local byMember = sums[k]
    if not byMember then byMember = {}; sums[k] = byMember end
    byMember[m] = (byMember[m] or 0) + d
    if d < 0 then negative[k] = true end
  end
end
for f = 1, nFacts do
  local idRaw = ARGV[i]
  local id = tonumber(idRaw)
  if id > wm or redis.call('SISMEMBER', holesKey, idRaw) == 1 then
    applied[#applied + 1] = idRaw
    local delta = tonumber(ARGV[i + 1])
    add(sets[tonumber(ARGV[i + 4])], tonumber(ARGV[i + 2]), delta)
    add(sets[tonumber(ARGV[i + 5])], tonumber(ARGV[i + 3]), delta)
  end
  i = i + 6
end
for k, byMember in pairs(sums) do
  for m, d in pairs(byMember) do
    if d ~= 0 then redis.call('ZINCRBY', keys[k], string.format('%.0f', d), members[m]) end
  end
  if negative[k] then redis.call('ZREMRANGEBYSCORE', keys[k], '-inf', '0') end
  if ttls[k] > 0 then redis.call('EXPIRE', keys[k], ttls[k]) end
end
redis.call('SET', wmKey, ARGV[3])
redis.call('DEL', holesKey)
for h = 1, nHoles, ${LUA_UNPACK_CHUNK} do
  redis.call('SADD', holesKey, unpack(holes, h, math.min(h + ${LUA_UNPACK_CHUNK} - 1, nHoles)))
end
if #applied > 0 then redis.call('INCR', prefix .. 'lb:ver') end
return applied`);

export class MissingWatermark extends Error {}

/** Numbers each distinct value from 1, collecting what the script receives. */
function indexer<T>(key: (value: T) => string, emit: (value: T, out: (string | number)[]) => void) {
  const seen = new Map<string, number>();
  const args: (string | number)[] = [];
  return {
    args,
    get size() {
      return seen.size;
    },
    index(value: T): number {
      const k = key(value);
      let at = seen.get(k);
      if (at === undefined) {
        at = seen.size + 1;
        seen.set(k, at);
        emit(value, args);
      }
      return at;
    },
  };
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
  const keys = indexer<BoardIncrement>(relativeKey, (inc, out) =>
    out.push(relativeKey(inc), bucketTtl(inc.bucket)),
  );
  const members = indexer<string>(
    (id) => id,
    (id, out) => out.push(id),
  );
  const sets = indexer<number[]>(
    (set) => set.join(','),
    (set, out) => out.push(set.length, ...set),
  );
  const setsOf = new Map<string, [number, number]>();
  const factArgs: (string | number)[] = [];
  const none = { continent: null, country: null };
  for (const fact of facts) {
    const tipper = regions.get(fact.tipperId) ?? none;
    const signature = `${fact.streamerId}|${fact.categoryId}|${hourBucket(fact.tippedAt)}|${fact.anonymous}|${tipper.continent}|${tipper.country}`;
    let pair = setsOf.get(signature);
    if (!pair) {
      const increments = tipIncrements(fact, tipper, regions.get(fact.streamerId) ?? none);
      const ofBoard = (board: 'streamers' | 'tippers') => {
        const set = increments.filter((inc) => inc.board === board).map((inc) => keys.index(inc));
        return set.length === 0 ? 0 : sets.index(set);
      };
      pair = [ofBoard('streamers'), ofBoard('tippers')];
      setsOf.set(signature, pair);
    }
    factArgs.push(
      fact.transactionId,
      fact.amountTokens,
      members.index(fact.streamerId),
      members.index(fact.tipperId),
      pair[0],
      pair[1],
    );
  }
  const args = [
    redis.prefix,
    next.epoch,
    next.position,
    next.holes.size,
    ...next.holes.keys(),
    keys.size,
    ...keys.args,
    members.size,
    ...members.args,
    sets.size,
    ...sets.args,
    facts.length,
    ...factArgs,
  ];
  try {
    const applied = (await runScript(redis.client, APPLY, [], args)) as string[];
    return new Set(applied.map(Number));
  } catch (error) {
    if (String((error as Error).message).includes('NOWM')) throw new MissingWatermark();
    throw error;
  }
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
