import { Redis as UpstashRedis } from '@upstash/redis';
import type { RedisClient } from 'bun';

type UpstashRequester = ConstructorParameters<typeof UpstashRedis>[0] & { request: unknown };

/**
 * `@upstash/redis` speaking to a plain TCP Redis through Bun's client instead of Upstash's REST API, so
 * `@upstash/ratelimit` and caches run unchanged against self-hosted Redis (and against Upstash with its URL).
 */
export function upstashOverTcp(client: RedisClient): UpstashRedis {
  const requester = {
    request: async <T>(req: { body?: unknown }) => {
      const [command, ...args] = req.body as (string | number)[];
      try {
        const result = await client.send(String(command).toUpperCase(), args.map(stripLuaFlags));
        return { result: result as T };
      } catch (error) {
        return { error: (error as Error).message };
      }
    },
  } as UpstashRequester;
  return new UpstashRedis(requester);
}

/** Redis < 7.4 refuses the `#!lua flags=allow-key-locking` shebang newer ratelimit scripts start with. */
function stripLuaFlags(arg: string | number): string {
  const text = String(arg);
  return text.startsWith('#!lua') ? text.slice(text.indexOf('\n') + 1) : text;
}
