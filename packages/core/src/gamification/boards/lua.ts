import type { RedisClient } from 'bun';

export type LuaScript = { source: string; sha: string };

export function luaScript(source: string): LuaScript {
  return { source, sha: new Bun.CryptoHasher('sha1').update(source).digest('hex') };
}

/** Runs a script by its hash, loading it with EVAL the first time a server has not seen it. */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  const rest = [String(keys.length), ...keys, ...args.map(String)];
  try {
    return await client.send('EVALSHA', [script.sha, ...rest]);
  } catch (error) {
    if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
    return client.send('EVAL', [script.source, ...rest]);
  }
}
