// bun run bench:leaderboards — a fresh database with USERS viewers (100,000), STREAMERS (2,000) and TIPS tips
// (1,000,000) over the seeded regions and categories, written set-based in SQL; then: the boards rebuilt into Redis
// from Postgres, CLIENTS (200) signed-in HTTP clients reading `leaderboards.get` across boards, scopes and periods
// for DURATION_S (10) seconds, and the projector applying NEW_TIPS (200,000) fresh tips to the boards.
// BENCH_REDIS_URL (redis://127.0.0.1:6379/11) must be a Redis database of the benchmark's own: the API writes its
// keys without a prefix there, and the benchmark empties it before and after. API_PORT (3392).
import { join } from 'node:path';
import {
  type CoreDeps,
  connectRedis,
  createLivekit,
  createMemoryBus,
  createMemoryLimiters,
  createMemoryPresence,
  DEFAULT_ECONOMY,
  DEFAULT_RATE_LIMITS,
  DEFAULT_SESSIONS,
  PROJECTOR_NAME,
  projectOnce,
  ROOM_ECONOMY,
  rebuildBoards,
  SESSION_COOKIE_NAME,
  systemClock,
} from '@app/core';
import { ledgerInvariants } from '@app/core/testing';
import { createTestDatabase } from '@app/db/testing';
import {
  type BoardWorld,
  boardWorld,
  buildPeople,
  bulkSession,
  insertTips,
  settleBalances,
  withoutSecondaryIndexes,
} from './leaderboards-data.ts';
import { report } from './report.ts';
import { BENCH_LIVEKIT_ENV } from './setup.ts';

const USERS = Number(Bun.env.USERS ?? 100_000);
const STREAMERS = Number(Bun.env.STREAMERS ?? 2_000);
const TIPS = Number(Bun.env.TIPS ?? 1_000_000);
const NEW_TIPS = Number(Bun.env.NEW_TIPS ?? 200_000);
const CLIENTS = Number(Bun.env.CLIENTS ?? 200);
const DURATION_S = Number(Bun.env.DURATION_S ?? 10);
const SIGNED_IN = Number(Bun.env.SIGNED_IN ?? 1_000);
const API_PORT = Number(Bun.env.API_PORT ?? 3392);
const REDIS_URL = Bun.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
const GOAL_P99_MS = 20;
const GOAL_TIPS_PER_S = 5_000;
const ORIGIN = 'http://localhost:5173';
const PERIODS = ['day', 'week', 'month', 'all'] as const;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (value: number) => Math.round(value * 10) / 10;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function timed<T>(label: string, run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  log(`${label}: ${count(ms)} ms`);
  return { value, ms };
}

async function emptyRedis(client: Awaited<ReturnType<typeof connectRedis>>) {
  let cursor = '0';
  do {
    const [next, keys] = (await client.send('SCAN', [cursor, 'COUNT', '1000'])) as [string, string[]];
    cursor = next;
    if (keys.length > 0) await client.send('UNLINK', keys);
  } while (cursor !== '0');
}

/** One board a page or a stream panel asks for: a random board, scope and period, top 10 or top 50. */
function randomInput(world: BoardWorld) {
  const roll = Math.random();
  const scope =
    roll < 0.25
      ? { kind: 'global' as const }
      : roll < 0.4
        ? { kind: 'continent' as const, id: pick(world.continents) }
        : roll < 0.55
          ? { kind: 'country' as const, id: pick(world.countries) }
          : roll < 0.7
            ? { kind: 'category' as const, id: String(pick(world.categoryIds)) }
            : { kind: 'stream' as const, id: pick(world.streamIds) };
  const board = scope.kind !== 'stream' && Math.random() < 0.3 ? 'streamers' : 'tippers';
  return { board, scope, period: pick(PERIODS), limit: scope.kind === 'stream' ? 10 : 50 };
}

async function readLoad(base: string, world: BoardWorld) {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let withMe = 0;
  const firstErrors: string[] = [];
  const run = async (seconds: number, record: boolean) => {
    const stopAt = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < stopAt) {
          const input = randomInput(world);
          const url = `${base}/trpc/leaderboards.get?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
          const t0 = performance.now();
          const response = await fetch(url, {
            headers: { origin: ORIGIN, cookie: `${SESSION_COOKIE_NAME}=${pick(world.sessions)}` },
          }).catch((error: Error) => new Response(error.message, { status: 599 }));
          const body = await response.text();
          if (!record) continue;
          latencies.push(performance.now() - t0);
          if (response.ok) {
            ok++;
            if (body.includes('"me":{')) withMe++;
          } else {
            errors++;
            if (firstErrors.length < 3) firstErrors.push(`${response.status} ${body.slice(0, 200)}`);
          }
        }
      }),
    );
  };
  await run(1, false);
  const started = performance.now();
  await run(DURATION_S, true);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: ok + errors,
    perSecond: round((ok + errors) / elapsed),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    errors,
    withMe,
    firstErrors,
  };
}

async function startApi(databaseUrl: string) {
  const server = Bun.spawn(['bun', join(import.meta.dir, '..', 'src', 'index.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // The benchmark runs the projector itself, in the last phase.
      PROJECTOR_INTERVAL_MS: '0',
      ...BENCH_LIVEKIT_ENV,
      DATABASE_POOL_SIZE: Bun.env.DATABASE_POOL_SIZE ?? '16',
    },
    stdout: 'inherit',
    stderr: 'inherit',
  });
  const base = `http://127.0.0.1:${API_PORT}`;
  for (let tries = 0; tries < 150; tries++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { server, base };
    await Bun.sleep(100);
  }
  server.kill('SIGTERM');
  throw new Error('The API did not start within 15 s.');
}

const database = await createTestDatabase('lumen_bench_lb');
const redis = await connectRedis(REDIS_URL);
const deps: CoreDeps = {
  db: database.db,
  clock: systemClock,
  limiters: createMemoryLimiters(DEFAULT_RATE_LIMITS),
  bus: createMemoryBus(),
  presence: createMemoryPresence(),
  economy: DEFAULT_ECONOMY,
  sessions: DEFAULT_SESSIONS,
  stripe: null,
  streams: { liveWithoutMedia: true },
  livekit: createLivekit({ url: 'ws://127.0.0.1:9', apiKey: 'devkey', apiSecret: 'secret' }),
  redis: { client: redis, prefix: '' },
};
let api: Awaited<ReturnType<typeof startApi>> | null = null;
try {
  await emptyRedis(redis);
  log(`${count(USERS)} viewers, ${count(STREAMERS)} streamers, ${count(TIPS)} tips…`);
  const people = await timed('people, streams and funded wallets', () =>
    bulkSession(database.url, (query) => buildPeople(database, query, USERS, STREAMERS)),
  );
  const tips = await timed('tips (ledger transactions, entries, tip rows)', () =>
    bulkSession(database.url, (query) =>
      withoutSecondaryIndexes(query, () => insertTips(query, 'lb-tip', TIPS, 90)),
    ),
  );
  await timed('balances and analyze', async () => {
    await settleBalances(database);
    await database.query('analyze');
  });
  // The projector's cursor at the end of the ledger, as after it caught up: the boards come from the rebuild.
  await database.query(
    `insert into projector_cursors (name, position) select $1, max(id) from ledger_transactions
     on conflict (name) do update set position = excluded.position`,
    [PROJECTOR_NAME],
  );
  const rebuild = await timed('rebuildBoards into Redis', () => rebuildBoards(deps));
  log(`rebuilt ${count(rebuild.value.keys)} keys, ${count(rebuild.value.rows)} members`);
  const world = await boardWorld(database, SIGNED_IN);

  api = await startApi(database.url);
  log(`API: ${CLIENTS} signed-in clients for ${DURATION_S} s…`);
  const load = await readLoad(api.base, world);
  api.server.kill('SIGTERM');
  await api.server.exited;
  api = null;

  log(`projector: ${count(NEW_TIPS)} new tips…`);
  await timed('new tips written', () =>
    bulkSession(database.url, (query) => insertTips(query, 'lb-new', NEW_TIPS, 0)),
  );
  await database.query('analyze ledger_transactions');
  let passes = 0;
  let applied = 0;
  const projecting = await timed('projector caught up', async () => {
    for (;;) {
      const pass = await projectOnce(deps, ROOM_ECONOMY);
      passes++;
      applied += pass.applied;
      if (!pass.more) return;
    }
  });
  const tipsPerSecond = NEW_TIPS / (projecting.ms / 1000);
  await settleBalances(database);
  const ledger = await ledgerInvariants(database.db);
  const healthy = Object.values(ledger).every((value) => value === 0);

  const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
  console.log(`\n| measure | figure | goal | met |`);
  console.log('|---|---:|---:|---|');
  console.log(
    `| data: people + ${count(TIPS)} tips written | ${count((people.ms + tips.ms) / 1000)} s | | |`,
  );
  console.log(
    `| rebuildBoards (${count(rebuild.value.keys)} keys, ${count(rebuild.value.rows)} members) | ${count(rebuild.ms)} ms | | |`,
  );
  console.log(`| leaderboards.get p50, ${CLIENTS} clients | ${load.p50} ms | | |`);
  console.log(
    `| leaderboards.get p99, ${CLIENTS} clients | ${load.p99} ms | < ${GOAL_P99_MS} ms | ${mark(load.p99 < GOAL_P99_MS)} |`,
  );
  console.log(`| leaderboards.get requests/s | ${count(load.perSecond)} | | |`);
  console.log(
    `| requests / errors / with "me" | ${count(load.requests)} / ${load.errors} / ${count(load.withMe)} | 0 errors | ${mark(load.errors === 0)} |`,
  );
  console.log(
    `| projector, ${count(NEW_TIPS)} tips (${passes} passes, ${count(applied)} applied) | ${count(tipsPerSecond)} tips/s | ≥ ${count(GOAL_TIPS_PER_S)} tips/s | ${mark(tipsPerSecond >= GOAL_TIPS_PER_S)} |`,
  );
  console.log(`| ledger after both writes: ${JSON.stringify(ledger)} | | all 0 | ${mark(healthy)} |`);
  if (load.firstErrors.length > 0) console.log(`\nFirst errors: ${load.firstErrors.join(' | ')}`);
  report('leaderboards', [
    {
      measure: `projector, ${count(NEW_TIPS)} new tips over ${count(USERS)} users and ${count(TIPS)} tips`,
      value: Math.round(tipsPerSecond),
      unit: 'tips/s',
      target: `≥ ${count(GOAL_TIPS_PER_S)}/s`,
      met: tipsPerSecond >= GOAL_TIPS_PER_S,
    },
    {
      measure: `rebuildBoards (${count(rebuild.value.keys)} keys, ${count(rebuild.value.rows)} members)`,
      value: round(rebuild.ms / 1000),
      unit: 's',
    },
    { measure: `leaderboards.get p50, ${CLIENTS} clients`, value: load.p50, unit: 'ms' },
    {
      measure: `leaderboards.get p99, ${CLIENTS} clients`,
      value: load.p99,
      unit: 'ms',
      target: `< ${GOAL_P99_MS} ms`,
      met: load.p99 < GOAL_P99_MS,
    },
  ]);
} finally {
  if (api) {
    api.server.kill('SIGTERM');
    await api.server.exited;
  }
  await emptyRedis(redis).catch(() => {});
  redis.close();
  await database.drop();
}
