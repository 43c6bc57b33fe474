import type { RedisClient } from 'bun';
import type { Presence } from '../kernel/ports.ts';

/** A node that has not sent a heartbeat for this long no longer counts. */
export const NODE_TTL_SECONDS = 30;
/** How long a node stays a stream's count announcer without renewing. */
const LEADER_LEASE_MS = 6000;

export function createMemoryPresence(nodeId = crypto.randomUUID()): Presence {
  const counts = new Map<string, number>();
  return {
    nodeId,
    report: async (streamId, viewerKeys) => {
      if (viewerKeys.length > 0) counts.set(streamId, viewerKeys.length);
      else counts.delete(streamId);
    },
    count: async (streamId) => counts.get(streamId) ?? 0,
    heartbeat: async () => {},
    leave: async () => {
      counts.clear();
    },
    lead: async () => true,
  };
}

/** How long a node's viewer set outlives its last report (a crashed node's sets are also removed by counting). */
const VIEWER_SET_TTL_SECONDS = 24 * 60 * 60;
/** Members per SADD, so that a large room does not make one huge command. */
const SADD_CHUNK = 1000;

/**
 * Redis: `presence:{streamId}` is a hash of node id → that node's distinct viewers, and
 * `presence:{streamId}:{nodeId}` the set of their keys; `node:{nodeId}` exists while the node lives (set with a TTL
 * by each heartbeat). Counting skips, and then deletes, what belongs to nodes whose key expired. With one live node
 * the count is its own; with several it is the size of the union of their sets, so a viewer on two nodes counts once.
 */
export function createRedisPresence(
  redis: RedisClient,
  options: { nodeId?: string; prefix?: string; ttlSeconds?: number } = {},
): Presence {
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const prefix = options.prefix ?? 'lumen:';
  const ttl = String(options.ttlSeconds ?? NODE_TTL_SECONDS);
  const roomKey = (streamId: string) => `${prefix}presence:${streamId}`;
  const viewersKey = (streamId: string, id: string) => `${prefix}presence:${streamId}:${id}`;
  const leaderKey = (streamId: string) => `${prefix}presence-leader:${streamId}`;
  const leaseMs = String(LEADER_LEASE_MS);
  const nodeKey = (id: string) => `${prefix}node:${id}`;
  const rooms = new Set<string>();
  const heartbeat = async () => {
    await redis.send('SET', [nodeKey(nodeId), '1', 'EX', ttl]);
  };
  return {
    nodeId,
    report: async (streamId, viewerKeys) => {
      const own = viewersKey(streamId, nodeId);
      if (viewerKeys.length > 0) {
        rooms.add(streamId);
        // Written aside and renamed into place, so that a count never sees half a set.
        const next = `${own}:${crypto.randomUUID()}`;
        for (let i = 0; i < viewerKeys.length; i += SADD_CHUNK) {
          await redis.send('SADD', [next, ...viewerKeys.slice(i, i + SADD_CHUNK)]);
        }
        await redis.send('RENAME', [next, own]);
        await redis.send('EXPIRE', [own, String(VIEWER_SET_TTL_SECONDS)]);
        await redis.send('HSET', [roomKey(streamId), nodeId, String(viewerKeys.length)]);
      } else {
        rooms.delete(streamId);
        await redis.send('HDEL', [roomKey(streamId), nodeId]);
        await redis.send('DEL', [own]);
      }
    },
    count: async (streamId) => {
      const flat = (await redis.send('HGETALL', [roomKey(streamId)])) as string[] | Record<string, string>;
      const entries = Array.isArray(flat)
        ? Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!] as const)
        : Object.entries(flat);
      if (entries.length === 0) return 0;
      const alive = (await redis.send(
        'MGET',
        entries.map(([id]) => nodeKey(id)),
      )) as (string | null)[];
      const live = entries.filter((_, i) => alive[i] != null);
      const dead = entries.filter((_, i) => alive[i] == null).map(([id]) => id);
      if (dead.length > 0) {
        await redis.send('HDEL', [roomKey(streamId), ...dead]);
        await redis.send(
          'DEL',
          dead.map((id) => viewersKey(streamId, id)),
        );
      }
      if (live.length === 0) return 0;
      if (live.length === 1) return Number(live[0]![1]);
      const union = (await redis.send(
        'SUNION',
        live.map(([id]) => viewersKey(streamId, id)),
      )) as string[];
      return union.length;
    },
    heartbeat,
    leave: async () => {
      await redis.send('DEL', [nodeKey(nodeId)]);
      await Promise.all(
        [...rooms].flatMap((streamId) => [
          redis.send('HDEL', [roomKey(streamId), nodeId]),
          redis.send('DEL', [viewersKey(streamId, nodeId)]),
        ]),
      );
      rooms.clear();
    },
    lead: async (streamId) => {
      const key = leaderKey(streamId);
      if ((await redis.send('SET', [key, nodeId, 'NX', 'PX', leaseMs])) === 'OK') return true;
      if ((await redis.send('GET', [key])) !== nodeId) return false;
      await redis.send('PEXPIRE', [key, leaseMs]);
      return true;
    },
  };
}
