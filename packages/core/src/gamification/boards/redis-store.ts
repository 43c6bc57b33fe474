import type { ProjectionRedis } from '../../kernel/deps.ts';
import type { TipFact } from '../facts.ts';
import { type BoardIncrement, bucketTtl, type RegionScope, relativeKey, tipIncrements } from './keys.ts';
import { luaScript, runScript } from './lua.ts';

/** How long a fact applied ahead of a gap is remembered (the gap fills or is passed within `GAP_GRACE_MS`). */
export const APPLIED_MARKER_SECONDS = 3_600;

/** The highest ledger id every fact at or below which is on the boards; missing when Redis lost the boards. */
export const watermarkKey = (prefix: string) => `${prefix}lb:wm`;
/** Bumped by every apply: a rebuild that saw another number before its snapshot does not swap its keys in. */
export const versionKey = (prefix: string) => `${prefix}lb:ver`;
export const appliedKey = (prefix: string, transactionId: number | string) =>
  `${prefix}lb:applied:${transactionId}`;

// One call per pass, exactly once per fact: a fact at or below the watermark, or with an applied marker, is skipped.
// Score changes are summed per (key, member) before they are written; a member at 0 or less leaves the board.
// ARGV: prefix, position, K, K × (key, ttl), M, M × member, F, F × (id, delta, streamer, tipper, nS, nT, nS + nT keys)
const APPLY = luaScript(`
local prefix = ARGV[1]
local position = tonumber(ARGV[2])
local wmKey = prefix .. 'lb:wm'
local wmRaw = redis.call('GET', wmKey)
if not wmRaw then return redis.error_reply('NOWM the boards have no watermark') end
local wm = tonumber(wmRaw)
local i = 3
local nKeys = tonumber(ARGV[i]); i = i + 1
local keys, ttls = {}, {}
for k = 1, nKeys do keys[k] = prefix .. 'lb:' .. ARGV[i]; ttls[k] = tonumber(ARGV[i + 1]); i = i + 2 end
local nMembers = tonumber(ARGV[i]); i = i + 1
local members = {}
for m = 1, nMembers do members[m] = ARGV[i]; i = i + 1 end
local nFacts = tonumber(ARGV[i]); i = i + 1
local sums = {}
local applied = {}
local function add(k, m, d)
  local byMember = sums[k]
  if not byMember then byMember = {}; sums[k] = byMember end
  byMember[m] = (byMember[m] or 0) + d
end
for f = 1, nFacts do
  local idRaw = ARGV[i]
  local id = tonumber(idRaw)
  local delta = tonumber(ARGV[i + 1])
  local streamer = tonumber(ARGV[i + 2])
  local tipper = tonumber(ARGV[i + 3])
  local nS = tonumber(ARGV[i + 4])
  local nT = tonumber(ARGV[i + 5])
  i = i + 6
  local marker = prefix .. 'lb:applied:' .. idRaw
  if id > wm and redis.call('EXISTS', marker) == 0 then
    applied[#applied + 1] = idRaw
    if id > position then redis.call('SET', marker, '1', 'EX', ${APPLIED_MARKER_SECONDS}) end
    for j = 0, nS - 1 do add(tonumber(ARGV[i + j]), streamer, delta) end
    for j = nS, nS + nT - 1 do add(tonumber(ARGV[i + j]), tipper, delta) end
  end
  i = i + nS + nT
end
for k, byMember in pairs(sums) do
  for m, d in pairs(byMember) do
    if d ~= 0 then redis.call('ZINCRBY', keys[k], string.format('%.0f', d), members[m]) end
  end
  redis.call('ZREMRANGEBYSCORE', keys[k], '-inf', '0')
  if ttls[k] > 0 then redis.call('EXPIRE', keys[k], ttls[k]) end
end
if position > wm then redis.call('SET', wmKey, string.format('%.0f', position)) end
if #applied > 0 then redis.call('INCR', prefix .. 'lb:ver') end
return applied`);

export class MissingWatermark extends Error {}

/**
 * Applies a pass's tip facts to the Redis boards (every fact read, applied or not: the script skips what it holds)
 * and moves the watermark to `position`. Returns the ids applied now.
 */
export async function applyToRedis(
  redis: ProjectionRedis,
  facts: readonly TipFact[],
  position: number,
  regions: Map<string, RegionScope>,
): Promise<Set<number>> {
  const keyIndex = new Map<string, number>();
  const keyArgs: (string | number)[] = [];
  const memberIndex = new Map<string, number>();
  const memberArgs: string[] = [];
  const indexOf = (increment: BoardIncrement) => {
    const key = relativeKey(increment);
    let index = keyIndex.get(key);
    if (index === undefined) {
      index = keyIndex.size + 1;
      keyIndex.set(key, index);
      keyArgs.push(key, bucketTtl(increment.bucket));
    }
    return index;
  };
  const member = (id: string) => {
    let index = memberIndex.get(id);
    if (index === undefined) {
      index = memberIndex.size + 1;
      memberIndex.set(id, index);
      memberArgs.push(id);
    }
    return index;
  };
  const factArgs: (string | number)[] = [];
  for (const fact of facts) {
    const none = { continent: null, country: null };
    const increments = tipIncrements(
      fact,
      regions.get(fact.tipperId) ?? none,
      regions.get(fact.streamerId) ?? none,
    );
    const streamerKeys = increments.filter((inc) => inc.board === 'streamers').map(indexOf);
    const tipperKeys = increments.filter((inc) => inc.board === 'tippers').map(indexOf);
    factArgs.push(
      fact.transactionId,
      fact.amountTokens,
      member(fact.streamerId),
      member(fact.tipperId),
      streamerKeys.length,
      tipperKeys.length,
      ...streamerKeys,
      ...tipperKeys,
    );
  }
  const args = [
    redis.prefix,
    position,
    keyIndex.size,
    ...keyArgs,
    memberIndex.size,
    ...memberArgs,
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
