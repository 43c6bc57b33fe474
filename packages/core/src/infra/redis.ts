import { RedisClient } from 'bun';

/** Opens Bun's native TCP Redis client; throws with the URL's host in the message when it cannot connect. */
export async function connectRedis(url: string): Promise<RedisClient> {
  const client = new RedisClient(url, {
    autoReconnect: true,
    enableOfflineQueue: true,
    connectionTimeout: 5000,
  });
  try {
    await client.connect();
  } catch (error) {
    const host = new URL(url).host;
    throw new Error(`Cannot connect to Redis at ${host}: ${(error as Error).message}`);
  }
  return client;
}

export async function pingRedis(client: RedisClient): Promise<boolean> {
  try {
    return (await client.send('PING', [])) === 'PONG';
  } catch {
    return false;
  }
}
