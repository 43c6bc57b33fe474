import { pingRedis } from '@app/core';
import { Elysia } from 'elysia';
import type { Runtime } from '../runtime.ts';

async function timed<T>(
  check: () => Promise<T>,
): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    const ok = Boolean(await check());
    return { ok, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** `GET /healthz`: 200 when the database answers, 503 otherwise; reports Redis too. */
export function health(runtime: Runtime) {
  return new Elysia({ name: 'health' }).get('/healthz', async ({ set }) => {
    const database = await timed(() => runtime.database.query('select 1'));
    const redis = runtime.redis ? await timed(() => pingRedis(runtime.redis!)) : null;
    const ok = database.ok && (redis?.ok ?? true);
    set.status = database.ok ? 200 : 503;
    set.headers['cache-control'] = 'no-store';
    return {
      status: ok ? 'ok' : 'degraded',
      database: { kind: runtime.database.kind, ...database },
      redis: redis
        ? { configured: true, ...redis }
        : { configured: false, ok: true, note: 'in-process (single node)' },
    };
  });
}
