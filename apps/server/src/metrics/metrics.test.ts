import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, fundWallet, type TestDeps } from '@app/core/testing';
import { type App, createApp } from '../app.ts';
import { parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { clientAddresses } from '../modules/http-basics.ts';
import { createMetrics, type Metrics } from './metrics.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
let deps: TestDeps;
let app: App;
let metrics: Metrics;

beforeAll(async () => {
  deps = await createTestDeps();
  const runtime = { deps, database: deps.database, redis: null, close: async () => {} };
  metrics = createMetrics(runtime, { sockets: () => ({ connections: 3, subscriptions: 7 }), busProbeMs: 20 });
  app = createApp({
    runtime,
    env: parseEnv({ DATABASE_URL: deps.database.url, METRICS_TOKEN: TOKEN, METRICS_ALLOW: '10.1.0.0/16' }),
    log: createLogger('silent'),
    metrics,
  });
});
afterAll(async () => {
  metrics.stop();
  await deps.database.drop();
});

/** A request as the Bun server hands it over: with the address of the socket it came on. */
function from(address: string, path: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost:3000${path}`, { headers });
  clientAddresses.set(request, address);
  return app.handle(request);
}
const scrape = async () => (await from('10.1.2.3', '/metrics')).text();
/** The value of one sample line, e.g. `lumen_tips` or `lumen_http_requests_total{procedure="x",…}`. */
const sample = (text: string, prefix: string) => {
  const line = text.split('\n').find((row) => row.startsWith(prefix));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
};

describe('/metrics', () => {
  test('an allowed network or the bearer token may read it; nobody else', async () => {
    const allowed = await from('10.1.200.9', '/metrics');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toContain('text/plain');
    expect(await allowed.text()).toContain('lumen_process_resident_memory_bytes');
    expect((await from('203.0.113.5', '/metrics', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token-wrong' },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const refused = await from('203.0.113.5', '/metrics', headers);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toContain('METRICS_TOKEN');
    }
    // A forwarded address is believed only through trusted proxies (none here).
    const forged = await from('203.0.113.5', '/metrics', { 'x-forwarded-for': '10.1.2.3' });
    expect(forged.status).toBe(403);
  });

  test('requests are counted and timed by procedure; a made-up procedure is "unknown", never its own label', async () => {
    await from('203.0.113.5', '/trpc/categories.list');
    await from('203.0.113.5', '/trpc/categories.list');
    await from('203.0.113.5', '/trpc/no.such_procedure_x');
    const text = await scrape();
    expect(
      sample(text, 'lumen_http_requests_total{procedure="categories.list",method="GET",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'lumen_http_requests_total{procedure="unknown",method="GET",status="404"}')).toBe(1);
    expect(text).not.toContain('no.such_procedure_x');
    expect(
      sample(text, 'lumen_http_request_duration_seconds_count{procedure="categories.list"}'),
    ).toBeGreaterThanOrEqual(2);
  });

  test('the ledger’s progress and the projector’s lag are read from Postgres at each scrape', async () => {
    const { user } = await createTestUser(deps);
    await fundWallet(deps, user.id, 500);
    const [head] = await deps.database.query<{ id: string }>(
      'select max(id)::text as id from ledger_transactions',
    );
    await deps.database.query(`insert into projector_cursors (name, position) values ('metrics-test', 0)`);
    const text = await scrape();
    expect(sample(text, 'lumen_ledger_transactions ')).toBe(Number(head!.id));
    expect(sample(text, 'lumen_projector_lag_transactions{projection="metrics-test"}')).toBe(
      Number(head!.id),
    );
    expect(sample(text, 'lumen_projector_lag_seconds{projection="metrics-test"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'lumen_tips ')).toBe(0);
  });

  test('websocket counts come from the node, and the bus lag from its own probes', async () => {
    let text = await scrape();
    expect(sample(text, 'lumen_websocket_connections ')).toBe(3);
    expect(sample(text, 'lumen_websocket_subscriptions ')).toBe(7);
    // The probe goes round every 20 ms here; wait for the first to come back.
    for (let tries = 0; tries < 100 && !(sample(text, 'lumen_bus_lag_seconds_count ') ?? 0); tries++) {
      await Bun.sleep(20);
      text = await scrape();
    }
    expect(sample(text, 'lumen_bus_lag_seconds_count ')).toBeGreaterThanOrEqual(1);
  });
});
