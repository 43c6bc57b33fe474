import { timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import { isIP } from 'node:net';
import { Elysia } from 'elysia';
import type { TrustProxy } from '../env.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { clientAddress } from './http-basics.ts';

export type MetricsGuard = { allow: BlockList; token: string | undefined; trustProxy: TrustProxy };

/** An IPv4 address a dual-stack socket reports as `::ffff:a.b.c.d`, as the IPv4 address it is. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Whether a request may read the metrics: the right bearer token, or a client address in the allowed list. */
export function mayReadMetrics(request: Request, guard: MetricsGuard): boolean {
  const header = request.headers.get('authorization') ?? '';
  if (guard.token && header.startsWith('Bearer ')) {
    const given = Buffer.from(header.slice('Bearer '.length).trim());
    const expected = Buffer.from(guard.token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  const address = clientAddress(request, guard.trustProxy);
  if (!address) return false;
  const plain = plainAddress(address);
  const family = isIP(plain);
  return family !== 0 && guard.allow.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * `GET /metrics` in Prometheus's text format, for the platform's monitoring only (`mayReadMetrics`); anyone else
 * gets 403 with what to do.
 */
export function metricsRoute(metrics: Metrics, guard: MetricsGuard) {
  return new Elysia({ name: 'metrics' }).get('/metrics', async ({ request, set }) => {
    set.headers['cache-control'] = 'no-store';
    if (!mayReadMetrics(request, guard)) {
      set.status = 403;
      return {
        error:
          'Metrics are for the platform’s monitoring: send its bearer token (METRICS_TOKEN) or call from an allowed network (METRICS_ALLOW).',
      };
    }
    set.headers['content-type'] = metrics.contentType;
    return metrics.text();
  });
}
