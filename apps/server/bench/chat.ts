// bun run bench:chat — chat fan-out: N websocket viewers in one room, one sender at R msg/s for T s, against
// our server (tRPC websockets, Redis bus, every message stored in Postgres before it is announced) and against
// the two peers in ../shared/peers/chat (bare Bun pub/sub, the ceiling; Express + Socket.IO, the seed's design),
// all driven by the same load client (bench/chat-load.ts). A fresh server per case. Prints a markdown table and
// the best rate each server sustained at p99 < 100 ms with ≥ 99% delivered; each of our viewers signs in as
// its own account. Reports (BENCH_REPORT) the best rate per N, its ratio to bare Bun, and the server's peak
// RSS at N=2000.
// Settings: CONNS ("500 2000 5000"), RATES ("50 100 200 400 800 1600"), SERVERS ("lumen bun socketio"), DURATION_S (10),
// PROCS (receiver processes, 2), REDIS_URL (redis://127.0.0.1:6379; "none" for the in-process bus), FILTER_WORDS (0:
// this many masked words in the platform's list and as many in the room's, so every line is screened by both).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession, SESSION_COOKIE_NAME, systemClock } from '@app/core';
import { type Figure, report } from './report.ts';
import { BENCH_LIVEKIT_ENV, freePort, liveStreamScene } from './setup.ts';

const CONNS = (process.env.CONNS ?? '500 2000 5000').split(/\s+/).filter(Boolean).map(Number);
const RATES = (process.env.RATES ?? '50 100 200 400 800 1600').split(/\s+/).filter(Boolean).map(Number);
const SERVERS = (process.env.SERVERS ?? 'lumen bun socketio').split(/\s+/).filter(Boolean);
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const PROCS = Number(process.env.PROCS ?? 2);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FILTER_WORDS = Number(process.env.FILTER_WORDS ?? 0);
const REPO_ROOT = join(import.meta.dir, '..', '..', '..');
const PEERS = join(REPO_ROOT, '..', 'shared', 'peers', 'chat');
/** Socket.IO's packages, installed once from npm next to this script (gitignored). */
const RESULTS = join(REPO_ROOT, 'bench-results');
const PEER_DEPS = join(RESULTS, 'peer-deps');

type Row = Record<string, unknown> & { server: string; conns: number; rate: number; ok: boolean };

/**
 * The live stream, its sender, and one signed-in viewer per receiver (each its own account, as in a real room:
 * one account may hold only WS_MAX_SOCKETS_PER_USER sockets). The viewers' cookies go to a file, one per line.
 */
async function lumenScene(viewerCount: number) {
  const { database, hash, streamId } = await liveStreamScene('lumen_bench_chat');
  const q = database.query;
  const [sender] = await q<{ id: string }>(
    `insert into users (username, email, password_hash, display_name, date_of_birth)
     values ('bench_chatter', 'bench_chatter@example.com', $1, 'Bench Chatter', '1995-05-05') returning id`,
    [hash],
  );
  const viewers = await q<{ id: string }>(
    `insert into users (username, email, password_hash, display_name, date_of_birth)
     select 'bench_viewer_' || n, 'bench_viewer_' || n || '@example.com', $1, 'Viewer ' || n, '1995-05-05'
     from generate_series(1, $2::int) as n returning id`,
    [hash, viewerCount],
  );
  await q(`insert into user_levels (user_id) select id from users`);
  if (FILTER_WORDS > 0) {
    const words = (scope: string) =>
      JSON.stringify(
        Array.from({ length: FILTER_WORDS }, (_, i) => ({ word: `${scope}word${i}`, mode: 'mask' })),
      );
    await q(`insert into content_filters (channel_id, terms) values (null, $1::jsonb)`, [words('platform')]);
    await q(
      `insert into content_filters (channel_id, terms) select streamer_id, $1::jsonb from streams where id = $2`,
      [words('room'), streamId],
    );
  }
  const cookie = async (userId: string) =>
    `${SESSION_COOKIE_NAME}=${(await createSession(database.db, systemClock, userId)).token}`;
  const cookies: string[] = [];
  for (let start = 0; start < viewers.length; start += 100) {
    cookies.push(...(await Promise.all(viewers.slice(start, start + 100).map((v) => cookie(v.id)))));
  }
  mkdirSync(RESULTS, { recursive: true });
  const viewerCookies = join(RESULTS, `chat-viewer-cookies-${process.pid}.txt`);
  writeFileSync(viewerCookies, `${cookies.join('\n')}\n`);
  return { database, streamId, cookie: await cookie(sender!.id), viewerCookies };
}

async function ensurePeerDeps(): Promise<boolean> {
  if (existsSync(join(PEER_DEPS, 'node_modules', 'socket.io'))) return true;
  mkdirSync(PEER_DEPS, { recursive: true });
  writeFileSync(join(PEER_DEPS, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  console.error('Installing express and socket.io for the Socket.IO peer (once)…');
  const install = Bun.spawn(
    ['npm', 'install', '--no-audit', '--no-fund', 'express@4.22.3', 'socket.io@4.8.4'],
    {
      cwd: PEER_DEPS,
      stdout: 'ignore',
      stderr: 'inherit',
    },
  );
  return (await install.exited) === 0;
}

async function waitHealthy(url: string) {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not become healthy`);
}

// A free port per case: a fixed one was taken by any other bench:chat on the machine, whose server then answered.
async function startServer(
  server: string,
  scene: Awaited<ReturnType<typeof lumenScene>> | null,
  port: number,
) {
  if (server === 'lumen') {
    const child = Bun.spawn(['bun', join(import.meta.dir, '..', 'src', 'index.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: scene!.database.url,
        ...(REDIS_URL === 'none' ? { REDIS_URL: '' } : { REDIS_URL }),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        NODE_ENV: 'production',
        ...BENCH_LIVEKIT_ENV,
        // One sender at up to R msg/s: the spam limits would (rightly) stop it.
        CHAT_USER_LIMIT: '100000',
        CHAT_ROOM_LIMIT: '100000',
        // Every viewer connects from this one machine: the per-address socket cap would (rightly) stop them.
        WS_MAX_SOCKETS_PER_ADDRESS: '10000',
        WS_MAX_SOCKETS_PER_USER: '1000',
      },
      stdout: 'inherit',
      stderr: 'inherit',
    });
    await waitHealthy(`http://127.0.0.1:${port}/healthz`);
    return child;
  }
  const command =
    server === 'bun'
      ? ['bun', join(PEERS, 'bun-ws-server.ts')]
      : ['node', '--preserve-symlinks', join(PEER_DEPS, 'socketio-server.mjs')];
  const child = Bun.spawn(command, {
    env: { ...process.env, PORT: String(port), NODE_PATH: join(PEER_DEPS, 'node_modules') },
    stdout: 'ignore',
    stderr: 'ignore',
  });
  await waitHealthy(`http://127.0.0.1:${port}/health`);
  return child;
}

async function runCase(
  server: string,
  conns: number,
  rate: number,
  scene: Awaited<ReturnType<typeof lumenScene>> | null,
) {
  const port = await freePort();
  const child = await startServer(server, scene, port);
  try {
    const load = Bun.spawn(
      [
        'bun',
        join(import.meta.dir, 'chat-load.ts'),
        '--proto',
        server,
        '--url',
        `ws://127.0.0.1:${port}`,
        '--conns',
        String(conns),
        '--rate',
        String(rate),
        '--seconds',
        String(DURATION_S),
        '--procs',
        String(PROCS),
        '--server-pid',
        String(child.pid),
        ...(scene
          ? ['--stream-id', scene.streamId, '--cookie', scene.cookie, '--viewer-cookies', scene.viewerCookies]
          : []),
      ],
      { stdout: 'pipe', stderr: 'inherit' },
    );
    const output = await new Response(load.stdout).text();
    await load.exited;
    const line = output.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as Row) : null;
  } finally {
    child.kill();
    await child.exited;
  }
}

const scene = SERVERS.includes('lumen') ? await lumenScene(Math.max(...CONNS)) : null;
if (SERVERS.includes('socketio')) {
  if (!existsSync(PEERS) || !(await ensurePeerDeps())) {
    console.error(`The Socket.IO peer needs ${PEERS} and npm; skipping it.`);
    SERVERS.splice(SERVERS.indexOf('socketio'), 1);
  } else {
    // Node resolves packages next to the script, so the peer's script runs from a copy beside its packages.
    await Bun.write(join(PEER_DEPS, 'socketio-server.mjs'), Bun.file(join(PEERS, 'socketio-server.mjs')));
  }
}
if (SERVERS.includes('bun') && !existsSync(PEERS)) {
  console.error(`The bare Bun peer needs ${PEERS}; skipping it.`);
  SERVERS.splice(SERVERS.indexOf('bun'), 1);
}

console.error(
  `chat fan-out: servers [${SERVERS.join(' ')}], N [${CONNS.join(' ')}], R [${RATES.join(' ')}] msg/s, ${DURATION_S} s each, ${PROCS} receiver processes, lumen bus: ${REDIS_URL === 'none' ? 'in-process' : 'Redis'}`,
);
const rows: Row[] = [];
for (const server of SERVERS) {
  for (const conns of CONNS) {
    let failedOnce = false;
    for (const rate of RATES) {
      if (failedOnce && rate > 200) break;
      const row = await runCase(server, conns, rate, scene);
      if (!row) {
        console.error(`  ${server} N=${conns} R=${rate}: no result`);
        failedOnce = true;
        continue;
      }
      console.error(`  ${JSON.stringify(row)}`);
      rows.push(row);
      if (!row.ok) failedOnce = true;
    }
  }
}
await scene?.database.drop();
if (scene) rmSync(scene.viewerCookies, { force: true });

const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
const cell = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
console.log(`| ${columns.join(' | ')} |`);
console.log(`|${columns.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${columns.map((c) => cell(row[c])).join(' | ')} |`);

console.log('\nBest delivered msgs/s with p99 < 100 ms and ≥ 99% delivered:');
for (const conns of CONNS) {
  const best = (server: string) =>
    Math.max(
      0,
      ...rows
        .filter((r) => r.server === server && r.conns === conns && r.ok)
        .map((r) => r.deliv_per_s as number),
    );
  const figures = SERVERS.map((server) => `${server} ${best(server).toLocaleString('en-US')}`).join(', ');
  const lumen = best('lumen');
  const ratios = [
    SERVERS.includes('socketio') && best('socketio') > 0
      ? `lumen/socketio ${(lumen / best('socketio')).toFixed(1)}×`
      : null,
    SERVERS.includes('bun') && lumen > 0 ? `bun/lumen ${(best('bun') / lumen).toFixed(1)}×` : null,
  ].filter(Boolean);
  console.log(`  N=${conns}: ${figures}${ratios.length ? ` (${ratios.join(', ')})` : ''}`);
}

const bestOf = (server: string, conns: number) =>
  Math.max(
    0,
    ...rows
      .filter((r) => r.server === server && r.conns === conns && r.ok)
      .map((r) => r.deliv_per_s as number),
  );
const peakRss = (conns: number) =>
  Math.max(
    0,
    ...rows
      .filter((r) => r.server === 'lumen' && r.conns === conns)
      .map((r) => (r.srv_rss_mb as number) ?? 0),
  );
if (SERVERS.includes('lumen')) {
  report(
    'chat',
    CONNS.flatMap((conns) => {
      const lumen = bestOf('lumen', conns);
      const bare = bestOf('bun', conns);
      const figures: Figure[] = [
        {
          measure: `chat deliveries/s at p99 < 100 ms (≥ 99% delivered), ${conns} viewers in one room`,
          value: lumen,
          unit: 'msgs/s',
        },
      ];
      if (SERVERS.includes('bun') && bare > 0) {
        figures.push({
          measure: `chat fan-out, ${conns} viewers, as a ratio to bare Bun pub/sub`,
          value: Math.round((lumen / bare) * 100) / 100,
          unit: '×',
          ratioOf: `lumen ÷ bare Bun best deliveries/s (${bare.toLocaleString('en-US')})`,
          target: '≥ today',
        });
      }
      if (conns === 2000 && peakRss(conns) > 0) {
        figures.push({
          measure: 'peak server RSS (VmHWM) under the chat load, 2000 viewers',
          value: peakRss(conns),
          unit: 'MB',
          target: '< 150 MB',
          met: peakRss(conns) < 150,
        });
      }
      return figures;
    }),
  );
}
