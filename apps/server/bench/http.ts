// bun run bench:http — what one request costs through each layer of the HTTP path, as ratios to the server's own
// /healthz (an Elysia route that pings Postgres and Redis): public tRPC reads (streams.live with 24 cards of 1,000
// live streams, by a visitor and signed in; categories.list, regions.tree) and auth.me (the session read).
// A fresh database and server; each route gets CONNECTIONS (50) keep-alive connections for SECONDS (6) after a
// warm-up. The load comes from `wrk` when it is installed (`apt-get install wrk`: it uses less CPU than the server
// it measures), else from Bun's fetch (then the ratios are the client's as much as the server's). REDIS_URL as the
// server would use it (redis://127.0.0.1:6379/13 by default; "none" for the in-process bus).
import { createSession, SESSION_COOKIE_NAME, systemClock } from '@app/core';
import { seedBrowseFixture } from '@app/core/testing';
import { report } from './report.ts';
import { liveStreamScene, startApi } from './setup.ts';

const SECONDS = Number(process.env.SECONDS ?? 6);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: value }))}`;

type Route = { name: string; path: string; cookie?: string; target?: number };
type Result = { name: string; perSecond: number; p99: number | null; errors: number };

async function withWrk(url: string, route: Route, seconds: number): Promise<Result> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency'];
  if (route.cookie) args.push('-H', `cookie: ${route.cookie}`);
  const proc = Bun.spawn(['wrk', ...args, `${url}${route.path}`], { stdout: 'pipe', stderr: 'pipe' });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const unit = (value: string, suffix: string) =>
    Number(value) * (suffix === 's' ? 1000 : suffix === 'us' ? 0.001 : 1);
  const p99 = out.match(/ 99%\s+([\d.]+)(us|ms|s)/);
  const errors = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  return {
    name: route.name,
    perSecond: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0),
    p99: p99 ? unit(p99[1]!, p99[2]!) : null,
    errors,
  };
}

async function withFetch(url: string, route: Route, seconds: number): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const response = await fetch(`${url}${route.path}`, {
          headers: route.cookie ? { cookie: route.cookie } : {},
        });
        await response.arrayBuffer();
        if (!response.ok) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    name: route.name,
    perSecond: latencies.length / ((performance.now() - started) / 1000),
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? null,
    errors,
  };
}

const hasWrk = Bun.which('wrk') !== null;
const load = hasWrk ? withWrk : withFetch;
console.log(`Load from ${hasWrk ? 'wrk' : "Bun's fetch (install wrk for a lighter client)"}.`);

const { database, streamerId } = await liveStreamScene('lumen_bench_http');
const api = { stop: async () => {} } as Awaited<ReturnType<typeof startApi>>;
try {
  await seedBrowseFixture(database.db, { streams: 1_000 });
  await database.query('ANALYZE');
  Object.assign(api, await startApi(database.url, REDIS_URL === 'none' ? { REDIS_URL: '' } : { REDIS_URL }));
  const { token } = await createSession(database.db, systemClock, streamerId);
  const routes: Route[] = [
    { name: '/healthz (Elysia, pings Postgres and Redis)', path: '/healthz' },
    { name: 'streams.live (24 cards), visitor', path: `/trpc/streams.live${input({})}`, target: 0.5 },
    {
      name: 'streams.live (24 cards), signed in',
      path: `/trpc/streams.live${input({})}`,
      cookie: `${SESSION_COOKIE_NAME}=${token}`,
    },
    { name: 'categories.list', path: '/trpc/categories.list' },
    { name: 'regions.tree', path: '/trpc/regions.tree' },
    { name: 'auth.me (signed in)', path: '/trpc/auth.me', cookie: `${SESSION_COOKIE_NAME}=${token}` },
  ];
  const results: Result[] = [];
  for (const route of routes) {
    await load(api.url, route, 1);
    results.push(await load(api.url, route, SECONDS));
  }
  const base = results[0]!.perSecond;
  console.log(`\n| route | req/s | p99 ms | errors | ÷ /healthz |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const result of results) {
    console.log(
      `| ${result.name} | ${Math.round(result.perSecond)} | ${result.p99?.toFixed(1) ?? '–'} | ${result.errors} | ${(result.perSecond / base).toFixed(2)}× |`,
    );
  }
  report(
    'http',
    results.slice(1).map((result, i) => {
      const ratio = Math.round((result.perSecond / base) * 100) / 100;
      const target = routes[i + 1]!.target;
      return {
        measure: `${result.name} through HTTP, ${CONNECTIONS} connections`,
        value: ratio,
        unit: '×',
        ratioOf: `req/s ÷ /healthz req/s (${Math.round(base)})`,
        ...(target ? { target: `≥ ${target}×`, met: ratio >= target && result.errors === 0 } : {}),
      };
    }),
  );
} finally {
  await api.stop();
  await database.drop();
}
