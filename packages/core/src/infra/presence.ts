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
    report: async (streamId, count) => {
      if (count > 0) counts.set(streamId, count);
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

/**
 * Redis: `presence:{streamId}` is a hash of node id → subscribers; `node:{nodeId}` exists while the node lives
 * (set with a TTL by each heartbeat). Counting skips, and then deletes, the fields of nodes whose key expired.
 */
export function createRedisPresence(
  redis: RedisClient,
  options: { nodeId?: string; prefix?: string; ttlSeconds?: number } = {},
): Presence {
  const nodeId = options.nodeId ?? crypto.randomUUID();
  const prefix = options.prefix ?? 'lumen:';
  const ttl = String(options.ttlSeconds ?? NODE_TTL_SECONDS);
  const roomKey = (streamId: string) => `${prefix}presence:${streamId}`;
  const leaderKey = (streamId: string) => `${prefix}presence-leader:${streamId}`;
  const leaseMs = String(LEADER_LEASE_MS);
  const nodeKey = (id: string) => `${prefix}node:${id}`;
  const rooms = new Set<string>();
  const heartbeat = async () => {
    await redis.send('SET', [nodeKey(nodeId), '1', 'EX', ttl]);
  };
  return {
    nodeId,
    report: async (streamId, count) => {
      if (count > 0) {
        rooms.add(streamId);
        await redis.send('HSET', [roomKey(streamId), nodeId, String(count)]);
      } else {
        rooms.delete(streamId);
        await redis.send('HDEL', [roomKey(streamId), nodeId]);
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
      let total = 0;
      const dead: string[] = [];
      entries.forEach(([id, count], i) => {
        if (alive[i] != null) total += Number(count);
        else dead.push(id);
      });
      if (dead.length > 0) await redis.send('HDEL', [roomKey(streamId), ...dead]);
      return total;
    },
    heartbeat,
    leave: async () => {
      await redis.send('DEL', [nodeKey(nodeId)]);
      await Promise.all([...rooms].map((streamId) => redis.send('HDEL', [roomKey(streamId), nodeId])));
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
