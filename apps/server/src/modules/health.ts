import { pingRedis } from '@app/core';
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';

/** A dependency that has not answered in this long is down (a load balancer's probe must not hang). */
const CHECK_TIMEOUT_MS = 2_000;

export type DependencyState = 'up' | 'down';

/** Whether `check` answers truthily in time; why not goes to the log, never to the caller. */
async function probe(name: string, check: () => Promise<unknown>, log: Logger): Promise<DependencyState> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    if (await Promise.race([check(), timeout])) return 'up';
    log.warn('health check failed', { dependency: name, error: 'unexpected answer' });
  } catch (error) {
    log.warn('health check failed', { dependency: name, error: (error as Error).message });
  } finally {
    clearTimeout(timer);
  }
  return 'down';
}

/**
 * `GET /healthz`, open to anyone: 200 when the database answers, 503 otherwise, and only up or down for each
 * dependency; the reason a check failed is logged here, not shown.
 */
export function health(runtime: Runtime, log: Logger) {
  return new Elysia({ name: 'health' }).get('/healthz', async ({ set }) => {
    const [database, redis] = await Promise.all([
      probe('database', () => runtime.database.query('select 1').then(() => true), log),
      runtime.redis ? probe('redis', () => pingRedis(runtime.redis!), log) : ('not configured' as const),
    ]);
    set.status = database === 'up' ? 200 : 503;
    set.headers['cache-control'] = 'no-store';
    return { status: database === 'up' && redis !== 'down' ? 'ok' : 'degraded', database, redis };
  });
}
