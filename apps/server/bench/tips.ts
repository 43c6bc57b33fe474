// bun run bench:tips — 10,000 viewers tip one streamer through the HTTP API (64 concurrent clients, 20 s), then
// the same SQL straight into Postgres with pgbench for the database's own ceiling, then, in the same sitting, the
// peers of ../shared/peers/tips: the naive Express + pg server (pool 10) under its load client with 64 clients, and
// the raw append-only pgbench (50 connections). Conservation is checked after each. Settings: VIEWERS, CLIENTS,
// DURATION_S, PGBENCH_CLIENTS ("16 64"), PEER_DURATION_S (10), PEER_CLIENTS (64), PEER_PGBENCH_CLIENTS (50),
// PEERS ("express append"; "" for none), PEERS_DIR, API_PORT, DATABASE_POOL_SIZE (16), CPU_PROF (a folder: the
// server's CPU profile goes there), REDIS_URL (redis://127.0.0.1:6379/12, as production runs: the bus, limits and
// the boards in Redis; "none" for the in-process bus and the boards' Postgres rollup of embedded development).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESSION_COOKIE_NAME } from '@app/core';
import { ledgerInvariants } from '@app/core/testing';
import { report } from './report.ts';
import { BENCH_LIVEKIT_ENV, buildTipScene } from './setup.ts';
import { ensurePeers, expressNaive, type PeerResult, pgbenchAppend } from './tips-peers.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/12';

const VIEWERS = Number(process.env.VIEWERS ?? 10_000);
const CLIENTS = Number(process.env.CLIENTS ?? 64);
const DURATION_S = Number(process.env.DURATION_S ?? 20);
const PGBENCH_CLIENTS = (process.env.PGBENCH_CLIENTS ?? '16 64').split(/\s+/).filter(Boolean).map(Number);
const API_PORT = Number(process.env.API_PORT ?? 3391);
const PEER_DURATION_S = Number(process.env.PEER_DURATION_S ?? 10);
const PEER_CLIENTS = Number(process.env.PEER_CLIENTS ?? 64);
const PEER_PGBENCH_CLIENTS = Number(process.env.PEER_PGBENCH_CLIENTS ?? 50);
const PEER_RUNS = (process.env.PEERS ?? 'express append').split(/\s+/).filter(Boolean);
const TIP = 5;
const ORIGIN = 'http://localhost:5173';

/** A process's CPU time (user + system) in ms, from /proc (Linux; USER_HZ 100). */
const cpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** CPU time the whole machine spent busy (all cores), in ms. */
const boxBusyMs = () => {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) * 10;
};
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (value: number) => Math.round(value * 10) / 10;

console.log(`Setting up ${VIEWERS.toLocaleString('en-US')} funded viewers and one live streamer…`);
const scene = await buildTipScene(VIEWERS, 1_000_000);
const { database } = scene;
const totals = async () => {
  const [row] = await database.query<{ wallets: string; earnings: string; tips: string }>(
    `select (select sum(b.balance) from ledger_balances b join ledger_accounts a on a.id = b.account_id where a.kind = 'wallet')::text as wallets,
            (select sum(balance) from ledger_balances where account_id = $1)::text as earnings,
            (select count(*) from tips)::text as tips`,
    [scene.earningsAccountId],
  );
  return { wallets: Number(row!.wallets), earnings: Number(row!.earnings), tips: Number(row!.tips) };
};

async function apiRun() {
  // CPU_PROF=<dir>: the server writes a CPU profile there when it stops (bun --cpu-prof).
  const profile = process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF}`] : [];
  const server = Bun.spawn(['bun', ...profile, join(import.meta.dir, '..', 'src', 'index.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...BENCH_LIVEKIT_ENV,
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '16',
      REDIS_URL: REDIS_URL === 'none' ? '' : REDIS_URL,
    },
    stdout: 'inherit',
    stderr: 'inherit',
  });
  const base = `http://127.0.0.1:${API_PORT}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await Bun.sleep(100);
  }
  const before = await totals();
  const latencies: number[] = [];
  let errors = 0;
  let ok = 0;
  const firstError: string[] = [];
  const stopAt = performance.now() + DURATION_S * 1000;
  const cpu0 = { server: cpuMs(server.pid), client: process.cpuUsage(), box: boxBusyMs() };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < stopAt) {
        const viewer = scene.viewers[Math.floor(Math.random() * scene.viewers.length)]!;
        const t0 = performance.now();
        const response = await fetch(`${base}/trpc/tips.send`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: ORIGIN,
            cookie: `${SESSION_COOKIE_NAME}=${viewer.token}`,
          },
          body: JSON.stringify({
            json: { streamId: scene.streamId, amountTokens: TIP, idempotencyKey: crypto.randomUUID() },
          }),
        }).catch((error: Error) => ({ ok: false, status: 0, text: async () => error.message }));
        latencies.push(performance.now() - t0);
        if (response.ok) ok++;
        else {
          errors++;
          if (firstError.length < 3)
            firstError.push(`${response.status} ${(await response.text()).slice(0, 200)}`);
        }
        if ('body' in response && !response.ok) await response.body?.cancel();
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const client = process.cpuUsage(cpu0.client);
  const percentOfCore = (ms: number) => Math.round(ms / (elapsed * 10));
  const cpu = {
    server: percentOfCore(cpuMs(server.pid) - cpu0.server),
    client: percentOfCore((client.user + client.system) / 1000),
    box: percentOfCore(boxBusyMs() - cpu0.box),
  };
  server.kill('SIGTERM');
  await server.exited;
  const after = await totals();
  latencies.sort((a, b) => a - b);
  return {
    tips: ok,
    tipsPerSecond: round(ok / elapsed),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    errors,
    firstError,
    conserved: before.wallets - after.wallets === ok * TIP && after.earnings - before.earnings === ok * TIP,
    rowsMatch: after.tips - before.tips === ok,
    cpu,
  };
}

async function pgbenchRun(clients: number) {
  const before = await totals();
  const url = new URL(database.url);
  const log = `/tmp/lumen-pgbench-${process.pid}-${clients}`;
  const proc = Bun.spawn(
    [
      'pgbench',
      '-n',
      '-M',
      'prepared',
      '-j',
      '2',
      '-c',
      String(clients),
      '-T',
      String(Math.max(5, Math.round(DURATION_S / 2))),
      '-f',
      join(import.meta.dir, 'tip.pgbench.sql'),
      '-D',
      `viewers=${VIEWERS}`,
      '-D',
      `stream_id=${scene.streamId}`,
      '-D',
      `streamer_id=${scene.streamerId}`,
      '-D',
      `earnings_id=${scene.earningsAccountId}`,
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      url.pathname.slice(1),
      '-l',
      '--log-prefix',
      log,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  );
  const out = await new Response(proc.stdout).text();
  const err = await new Response(proc.stderr).text();
  if ((await proc.exited) !== 0)
    console.error(`pgbench failed: ${err.trim().split('\n').slice(-5).join(' / ')}`);
  const tps = Number(out.match(/tps = ([\d.]+)/)?.[1] ?? 0);
  const failed = Number(out.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
  const latencies: number[] = [];
  for await (const line of (await Bun.$`cat ${log}.*`.quiet().nothrow().text()).split('\n')) {
    const micros = Number(line.split(' ')[2]);
    if (Number.isFinite(micros) && micros > 0) latencies.push(micros / 1000);
  }
  await Bun.$`rm -f ${log}.*`.quiet().nothrow();
  latencies.sort((a, b) => a - b);
  const after = await totals();
  const done = after.tips - before.tips;
  return {
    clients,
    tips: done,
    tipsPerSecond: round(tps),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    errors: failed,
    conserved:
      before.wallets - after.wallets === done * TIP && after.earnings - before.earnings === done * TIP,
  };
}

await database.query(
  `create table bench_viewers as select row_number() over (order by u.username)::int as n, s.id as session_id, u.id as user_id, a.id as wallet_id
   from users u join sessions s on s.user_id = u.id join ledger_accounts a on a.user_id = u.id and a.kind = 'wallet'
   where u.username like 'bench_viewer_%'`,
);
await database.query('create unique index on bench_viewers (n)');

console.log(`API: ${CLIENTS} concurrent clients for ${DURATION_S} s…`);
const api = await apiRun();
const ceilings = [];
for (const clients of PGBENCH_CLIENTS) {
  console.log(`Database ceiling: pgbench, ${clients} connections…`);
  ceilings.push(await pgbenchRun(clients));
}
const invariants = await ledgerInvariants(database.db);
const best = ceilings.reduce((a, b) => (b.tipsPerSecond > a.tipsPerSecond ? b : a));

const peers: { express?: PeerResult; append?: PeerResult } = {};
if (PEER_RUNS.length > 0 && (await ensurePeers())) {
  if (PEER_RUNS.includes('express')) {
    console.log(`Peer: naive Express + pg (pool 10), ${PEER_CLIENTS} clients for ${PEER_DURATION_S} s…`);
    peers.express = await expressNaive(database.url, PEER_CLIENTS, PEER_DURATION_S).catch((error: Error) => {
      console.error(error.message);
      return undefined;
    });
  }
  if (PEER_RUNS.includes('append')) {
    console.log(`Peer: pgbench append-only, ${PEER_PGBENCH_CLIENTS} connections for ${PEER_DURATION_S} s…`);
    peers.append = await pgbenchAppend(database.url, PEER_PGBENCH_CLIENTS, PEER_DURATION_S).catch(
      (error: Error) => {
        console.error(error.message);
        return undefined;
      },
    );
  }
}

const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const apiConserved =
  api.conserved && api.rowsMatch && Object.values(invariants).every((value) => value === 0);
console.log('\n| run | clients | tips | tips/s | p50 ms | p99 ms | errors | conserved |');
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
console.log(
  `| API (HTTP, tRPC, Postgres) | ${CLIENTS} | ${api.tips} | ${api.tipsPerSecond} | ${api.p50} | ${api.p99} | ${api.errors} | ${yes(apiConserved)} |`,
);
for (const c of ceilings) {
  console.log(
    `| pgbench, same SQL | ${c.clients} | ${c.tips} | ${c.tipsPerSecond} | ${c.p50} | ${c.p99} | ${c.errors} | ${yes(c.conserved)} |`,
  );
}
for (const peer of [peers.express, peers.append]) {
  if (!peer) continue;
  console.log(
    `| peer: ${peer.system} | ${peer.clients} | ${peer.tips} | ${peer.tips_per_s} | ${peer.p50_ms} | ${peer.p99_ms} | ${peer.errors} | ${yes(peer.conserved && peer.rows_match)} |`,
  );
}
const ratio = (peer: PeerResult | undefined) =>
  peer && peer.tips_per_s > 0 ? Math.round((api.tipsPerSecond / peer.tips_per_s) * 100) / 100 : null;
const vsAppend = ratio(peers.append);
const vsExpress = ratio(peers.express);
console.log(
  `\nAPI ÷ pgbench, same SQL (best): ${best.tipsPerSecond > 0 ? `${round((api.tipsPerSecond / best.tipsPerSecond) * 100)}%` : '–'} (target ≥ 50%)`,
);
console.log(`API ÷ pgbench append-only (${PEER_PGBENCH_CLIENTS} conns): ${vsAppend ?? '–'}× (target ≥ 0.5×)`);
console.log(`API ÷ express+pg naive (${PEER_CLIENTS} clients): ${vsExpress ?? '–'}× (target ≥ 3×)`);
console.log(`API p99 at ${CLIENTS} clients: ${api.p99} ms (target < 100 ms)`);
console.log(
  `CPU during the API run, % of one core: server ${api.cpu.server}, load client ${api.cpu.client}, whole box ${api.cpu.box} (of 200)`,
);
console.log(`Ledger after both runs: ${JSON.stringify(invariants)}`);
if (api.firstError.length > 0) console.log(`First errors: ${api.firstError.join(' | ')}`);

report('tips', [
  {
    measure: `tips/s through the API, one streamer, ${CLIENTS} clients`,
    value: api.tipsPerSecond,
    unit: 'tips/s',
  },
  {
    measure: `API p99, ${CLIENTS} clients`,
    value: api.p99,
    unit: 'ms',
    target: '< 100 ms',
    met: api.p99 < 100,
  },
  ...(vsAppend === null
    ? []
    : [
        {
          measure: 'tips/s, API vs pgbench append-only',
          value: vsAppend,
          unit: '×',
          ratioOf: `API ÷ pgbench append-only (${PEER_PGBENCH_CLIENTS} conns)`,
          target: '≥ 0.5×',
          met: vsAppend >= 0.5,
        },
      ]),
  ...(vsExpress === null
    ? []
    : [
        {
          measure: 'tips/s, API vs express naive',
          value: vsExpress,
          unit: '×',
          ratioOf: `API ÷ express+pg naive (pool 10, ${PEER_CLIENTS} clients)`,
          target: '≥ 3×',
          met: vsExpress >= 3,
        },
      ]),
  {
    measure: 'tokens conserved after the API run',
    value: apiConserved ? 1 : 0,
    unit: '1 = yes',
    target: 'yes',
    met: apiConserved,
  },
]);
await database.drop();
process.exit(apiConserved ? 0 : 1);
