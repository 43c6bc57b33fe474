// The tip benchmark's peers, run from ../shared/peers/tips beside the checkout (never copied here): the naive
// Express + pg server driven by its own load client, and the raw append-only pgbench, Postgres' own ceiling. Each
// runs on a fresh peer schema (tips/schema.sql) in a database of its own, dropped afterwards. See that folder's
// README for what each measures.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dir, '..', '..', '..');
export const PEERS = process.env.PEERS_DIR ?? join(REPO_ROOT, '..', 'shared', 'peers');
const EXPRESS_PORT = Number(process.env.PEER_EXPRESS_PORT ?? 3393);

/** One line of the peers' JSON output (tips/load.mjs, tips/pgbench.mjs). */
export type PeerResult = {
  system: string;
  clients: number;
  tips: number;
  tips_per_s: number;
  p50_ms: number | null;
  p99_ms: number | null;
  errors: number;
  conserved: boolean;
  rows_match: boolean;
};

/** The peers' npm packages (express, pg), installed with their lockfile when missing. */
export async function ensurePeers(): Promise<boolean> {
  if (!existsSync(join(PEERS, 'tips', 'load.mjs'))) {
    console.error(`The tip peers are not at ${PEERS} (set PEERS_DIR); skipping them.`);
    return false;
  }
  if (existsSync(join(PEERS, 'node_modules', 'pg')) && existsSync(join(PEERS, 'node_modules', 'express')))
    return true;
  console.log(`The peers' node_modules is missing: running npm ci in ${PEERS}…`);
  const install = Bun.spawn(['npm', 'ci', '--no-audit', '--no-fund'], {
    cwd: PEERS,
    stdout: 'ignore',
    stderr: 'inherit',
  });
  return (await install.exited) === 0;
}

/** The PG* variables the peer scripts read, for a database of their own on the benchmark's server. */
function peerEnv(databaseUrl: string, database: string): Record<string, string> {
  const url = new URL(databaseUrl);
  return {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username || 'postgres'),
    PGDATABASE: database,
  };
}

async function psql(env: Record<string, string>, args: string[]) {
  const proc = Bun.spawn(['psql', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
    env: { ...process.env, ...env, PGOPTIONS: '-c client_min_messages=warning' },
    stdout: 'ignore',
    stderr: 'pipe',
  });
  const err = await new Response(proc.stderr).text();
  if ((await proc.exited) !== 0) throw new Error(`psql ${args.join(' ')}: ${err.trim()}`);
}

/** Runs `work` against a fresh database holding the peer schema, then drops it. */
async function withPeerDatabase<T>(databaseUrl: string, work: (env: Record<string, string>) => Promise<T>) {
  const name = `lumen_bench_peers_${process.pid}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = peerEnv(databaseUrl, 'postgres');
  await psql(admin, ['-c', `CREATE DATABASE ${name}`]);
  const env = peerEnv(databaseUrl, name);
  try {
    await psql(env, ['-f', join(PEERS, 'tips', 'schema.sql')]);
    return await work(env);
  } finally {
    await psql(admin, ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => {});
  }
}

async function lastJsonLine(
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>,
  what: string,
): Promise<PeerResult> {
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const line = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    const lines = err.trim().split('\n');
    const said = lines.filter((l) => /error|too many/i.test(l)).slice(0, 2);
    throw new Error(
      `${what} failed (exit ${code}): ${(said.length > 0 ? said : lines.slice(-3)).join(' / ')}`,
    );
  }
  return JSON.parse(line) as PeerResult;
}

/**
 * Runs a peer again (up to 3 times, 5 s apart) when Postgres had no connection slot for it: the server is shared
 * with other work here, and a peer that could not connect measured nothing.
 */
async function retryingConnections<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 3 || !/too many clients/i.test(String(error))) throw error;
      console.error(`${(error as Error).message.slice(0, 160)}; trying again in 5 s…`);
      await Bun.sleep(5_000);
    }
  }
}

/** tips/naive-express.mjs with pg's default pool (10), driven by tips/load.mjs with `clients` keep-alive clients. */
export function expressNaive(databaseUrl: string, clients: number, seconds: number): Promise<PeerResult> {
  return retryingConnections(() =>
    withPeerDatabase(databaseUrl, async (env) => {
      const server = Bun.spawn(['node', join(PEERS, 'tips', 'naive-express.mjs')], {
        cwd: PEERS,
        env: { ...process.env, ...env, PORT: String(EXPRESS_PORT), POOL_SIZE: '10' },
        stdout: 'ignore',
        stderr: 'ignore',
      });
      try {
        const base = `http://127.0.0.1:${EXPRESS_PORT}`;
        for (let i = 0; i < 100; i++) {
          const up = await fetch(`${base}/health`).then(
            (r) => r.ok,
            () => false,
          );
          if (up) break;
          await Bun.sleep(100);
        }
        const load = Bun.spawn(
          [
            'node',
            join(PEERS, 'tips', 'load.mjs'),
            ...['--url', base, '--clients', String(clients), '--seconds', String(seconds)],
            ...['--label', 'express+pg naive (pool 10)', '--server-pid', String(server.pid)],
          ],
          { cwd: PEERS, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' },
        );
        return await lastJsonLine(load, 'the Express peer');
      } finally {
        server.kill('SIGTERM');
        await server.exited;
      }
    }),
  );
}

/** tips/pgbench.mjs --design append: the tip as raw SQL where the INSERT is the streamer's credit. */
export function pgbenchAppend(databaseUrl: string, clients: number, seconds: number): Promise<PeerResult> {
  return retryingConnections(() =>
    withPeerDatabase(databaseUrl, async (env) => {
      const run = Bun.spawn(
        [
          'node',
          join(PEERS, 'tips', 'pgbench.mjs'),
          ...['--design', 'append', '--clients', String(clients), '--seconds', String(seconds)],
        ],
        { cwd: PEERS, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' },
      );
      return lastJsonLine(run, 'pgbench append-only');
    }),
  );
}
