import { join } from 'node:path';
import { createSession, systemClock } from '@app/core';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';

/**
 * The benchmarks run the API with NODE_ENV=production, which refuses LiveKit's well-known dev credentials; these
 * sign nothing anyone uses.
 */
export const BENCH_LIVEKIT_ENV = {
  LIVEKIT_API_KEY: 'bench-key',
  LIVEKIT_API_SECRET: 'bench-secret-signing-nothing-real-000',
};

export type TipScene = {
  database: TestDatabase;
  streamId: string;
  streamerId: string;
  earningsAccountId: number;
  viewers: { userId: string; walletId: number; token: string }[];
};

/** A fresh database with one streamer and their live stream, and a cheap password hash for more users. */
export async function liveStreamScene(name: string) {
  const database = await createTestDatabase(name);
  const hash = await Bun.password.hash('bench password', {
    algorithm: 'argon2id',
    memoryCost: 1024,
    timeCost: 1,
  });
  const [streamer] = await database.query<{ id: string }>(
    `insert into users (username, email, password_hash, display_name, role, date_of_birth, age_verified_at)
     values ('bench_streamer', 'bench_streamer@example.com', $1, 'Bench Streamer', 'streamer', '1990-01-01', now()) returning id`,
    [hash],
  );
  const [stream] = await database.query<{ id: string }>(
    `insert into streams (streamer_id, title, status, livekit_room, started_at)
     values ($1, 'Benchmark stream', 'live', 'bench-room', now()) returning id`,
    [streamer!.id],
  );
  return { database, hash, streamerId: streamer!.id, streamId: stream!.id };
}

/**
 * A fresh database with one live streamer and `viewerCount` funded viewers, each with a session, built with
 * bulk SQL (the ledger gets one balanced funding transaction per batch of viewers).
 */
export async function buildTipScene(viewerCount: number, tokensEach: number): Promise<TipScene> {
  const { database, hash, streamerId, streamId } = await liveStreamScene('lumen_bench');
  const q = database.query;
  await q(
    `insert into users (username, email, password_hash, display_name, date_of_birth)
     select 'bench_viewer_' || n, 'bench_viewer_' || n || '@example.com', $1, 'Viewer ' || n, '1995-05-05'
     from generate_series(1, $2::int) as n`,
    [hash, viewerCount],
  );
  await q(`insert into user_levels (user_id) select id from users`);
  await q(
    `insert into ledger_accounts (kind, user_id, shard_count) select 'wallet', id, 1 from users where username like 'bench_viewer_%'`,
  );
  await q(`insert into ledger_accounts (kind, user_id, shard_count) values ('earnings', $1, 16)`, [
    streamerId,
  ]);
  await q(`insert into ledger_accounts (kind, user_id, shard_count) values ('issuance', null, 16)`);
  await q(
    `insert into ledger_balances (account_id, shard, balance, non_negative)
     select a.id, s, 0, a.kind in ('wallet', 'earnings') from ledger_accounts a, generate_series(0, a.shard_count - 1) s`,
  );
  const viewers = await q<{ userId: string; walletId: number }>(
    `select u.id as "userId", a.id::int as "walletId" from users u join ledger_accounts a on a.user_id = u.id and a.kind = 'wallet'
     where u.username like 'bench_viewer_%' order by u.username`,
  );
  await fundViewers(database, viewers, tokensEach);
  const tokens: string[] = [];
  for (let start = 0; start < viewers.length; start += 100) {
    const batch = viewers.slice(start, start + 100);
    const created = await Promise.all(
      batch.map((viewer) => createSession(database.db, systemClock, viewer.userId)),
    );
    tokens.push(...created.map((session) => session.token));
  }
  const [earnings] = await q<{ id: number }>(`select id::int from ledger_accounts where kind = 'earnings'`);
  await q('analyze');
  return {
    database,
    streamId,
    streamerId: streamerId,
    earningsAccountId: earnings!.id,
    viewers: viewers.map((viewer, i) => ({ ...viewer, token: tokens[i]! })),
  };
}

/** One balanced `adjustment` per 200 viewers (a single statement: issuance −(200 × tokens), each wallet +tokens). */
async function fundViewers(database: TestDatabase, viewers: { walletId: number }[], tokensEach: number) {
  const q = database.query;
  const [issuance] = await q<{ id: number }>(`select id::int from ledger_accounts where kind = 'issuance'`);
  for (let start = 0; start < viewers.length; start += 200) {
    const ids = viewers.slice(start, start + 200).map((viewer) => viewer.walletId);
    await q(
      `with t as (insert into ledger_transactions (kind, idempotency_key, request_hash) values ('adjustment', $1, 'bench') returning id)
       insert into ledger_entries (transaction_id, account_id, amount)
       select t.id, w, $2::bigint from t, unnest($3::bigint[]) w
       union all select t.id, $4::bigint, -$2::bigint * $5 from t`,
      [`bench-fund:${start}`, tokensEach, ids, issuance!.id, ids.length],
    );
    await q(`update ledger_balances set balance = balance + $1 where account_id = any($2::bigint[])`, [
      tokensEach,
      ids,
    ]);
    await q(`update ledger_balances set balance = balance - $1 where account_id = $2 and shard = 0`, [
      tokensEach * ids.length,
      issuance!.id,
    ]);
  }
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port!;
  await probe.stop(true);
  return port;
}

/**
 * The API in a child process as production runs it (NODE_ENV=production, warnings only), on `databaseUrl`, with
 * `env` on top; resolves once /healthz answers. `stop()` ends it.
 */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = Bun.spawn(['bun', join(import.meta.dir, '..', 'src', 'index.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...BENCH_LIVEKIT_ENV,
      ...env,
    },
    stdout: 'inherit',
    stderr: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 200; tries++) {
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        pid: child.pid,
        stop: async () => {
          child.kill('SIGTERM');
          await child.exited;
        },
      };
    }
    await Bun.sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('The API did not start within 20 s.');
}
