import { createSession, systemClock } from '@app/core';
import { createDatabase } from '@app/db/client';
import { insertCategories, insertRegions } from '@app/db/seed';
import type { TestDatabase } from '@app/db/testing';

type Query = TestDatabase['query'];

/** Tokens each viewer's wallet is funded with before any tip (more than any of them tips in the run). */
const FUNDING_TOKENS = 10_000_000;
/** Tips written per statement: bounds each statement's memory and its deferred ledger checks. */
export const TIP_CHUNK = 100_000;

export type BoardWorld = {
  continents: string[];
  countries: string[];
  categoryIds: number[];
  streamIds: string[];
  sessions: string[];
};

/**
 * A fresh database's people and money, set-based: the seeded regions and categories, `users` viewers in random
 * cities, `streamers` streamers each with a live stream in a random category, a wallet per viewer funded by one
 * balanced `adjustment` each (issuance → wallet), and an earnings account per streamer.
 */
export async function buildPeople(database: TestDatabase, q: Query, users: number, streamers: number) {
  await database.db.transaction(async (tx) => {
    await insertRegions(tx);
    await insertCategories(tx);
  });
  const hash = await Bun.password.hash('bench password', {
    algorithm: 'argon2id',
    memoryCost: 1024,
    timeCost: 1,
  });
  await q(
    `create table bench_cities as select row_number() over (order by id)::int as n, id from regions where kind = 'city'`,
  );
  await q(
    `create table bench_categories as select row_number() over (order by id)::int as n, id from categories`,
  );
  await q(
    `insert into users (username, email, password_hash, display_name, role, date_of_birth, age_verified_at, region_id)
     select case when n <= $2 then 'lb_viewer_' || n else 'lb_streamer_' || (n - $2) end,
            'lb_' || n || '@example.com', $1,
            case when n <= $2 then 'Viewer ' || n else 'Streamer ' || (n - $2) end,
            (case when n <= $2 then 'viewer' else 'streamer' end)::user_role, '1990-01-01', now(),
            (select id from bench_cities c where c.n = 1 + (g.n * 7919) % (select count(*) from bench_cities))
     from generate_series(1, $2::int + $3::int) as g(n)`,
    [hash, users, streamers],
  );
  // Levels 1–60, so the boards show badges in every league up to diamond.
  await q(`insert into user_levels (user_id, level) select id, 1 + floor(random() * 60)::int from users`);
  await q(
    `create table bench_viewers as
     select row_number() over (order by u.username)::int as n, u.id as user_id from users u where u.role = 'viewer'`,
  );
  await q(
    `create table bench_streamers as
     select row_number() over (order by u.username)::int as n, u.id as user_id from users u where u.role = 'streamer'`,
  );
  await q(
    `insert into streams (streamer_id, title, status, livekit_room, started_at, category_id, region_id)
     select s.user_id, 'Bench stream ' || s.n, 'live', 'lb-room-' || s.n, now() - interval '2 hours',
            (select id from bench_categories c where c.n = 1 + s.n % (select count(*) from bench_categories)),
            u.region_id
     from bench_streamers s join users u on u.id = s.user_id`,
  );
  await q(
    `insert into ledger_accounts (kind, user_id, shard_count) select 'wallet', user_id, 1 from bench_viewers`,
  );
  await q(
    `insert into ledger_accounts (kind, user_id, shard_count) select 'earnings', user_id, 1 from bench_streamers`,
  );
  await q(`insert into ledger_accounts (kind, user_id, shard_count) values ('issuance', null, 1)`);
  await q(
    `insert into ledger_balances (account_id, shard, balance, non_negative)
     select id, 0, 0, kind in ('wallet', 'earnings') from ledger_accounts`,
  );
  await q(`alter table bench_viewers add column wallet_id bigint`);
  await q(
    `update bench_viewers v set wallet_id = a.id from ledger_accounts a where a.user_id = v.user_id and a.kind = 'wallet'`,
  );
  await q(`alter table bench_streamers add column earnings_id bigint, add column stream_id uuid`);
  await q(
    `update bench_streamers s set earnings_id = a.id, stream_id = st.id
     from ledger_accounts a, streams st
     where a.user_id = s.user_id and a.kind = 'earnings' and st.streamer_id = s.user_id`,
  );
  await q('create unique index on bench_viewers (n)');
  await q('create unique index on bench_streamers (n)');
  // One balanced adjustment per wallet: issuance −FUNDING, wallet +FUNDING.
  await q(
    `with t as (
       insert into ledger_transactions (kind, idempotency_key, request_hash)
       select 'adjustment', 'lb-fund:' || v.n, 'bench' from bench_viewers v order by v.n
       returning id, idempotency_key
     )
     insert into ledger_entries (transaction_id, account_id, amount)
     select t.id, v.wallet_id, $1::bigint from t join bench_viewers v on t.idempotency_key = 'lb-fund:' || v.n
     union all
     select t.id, (select id from ledger_accounts where kind = 'issuance'), -$1::bigint from t`,
    [FUNDING_TOKENS],
  );
}

/**
 * Runs `work` on one connection of its own with `session_replication_role = replica`: the ledger's row triggers
 * (the deferred balance check, one query per entry) and the foreign-key checks do not fire, which makes bulk
 * writing about three times faster. Everything written that way is balanced and consistent by construction, and
 * `ledgerInvariants` checks the whole ledger set-based afterwards. Without the privilege to set it (not a
 * superuser) the triggers fire and the writing is only slower.
 */
export async function bulkSession<T>(url: string, work: (query: Query) => Promise<T>): Promise<T> {
  const handle = await createDatabase({ url, maxConnections: 1 });
  try {
    await handle.query('set session_replication_role = replica').catch(() => {});
    return await work(handle.query);
  } finally {
    await handle.close();
  }
}

/** The tables a tip writes to. */
const TIP_TABLES = ['ledger_transactions', 'ledger_entries', 'tips'];

/**
 * Runs `work` with the tip tables' secondary indexes dropped, then builds them again (one sorted build each is
 * several times cheaper than a million inserts into each). Primary keys and the indexes behind constraints stay.
 */
export async function withoutSecondaryIndexes<T>(query: Query, work: () => Promise<T>): Promise<T> {
  const indexes = await query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1::text[])
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [TIP_TABLES],
  );
  for (const index of indexes) await query(`drop index "${index.name}"`);
  try {
    return await work();
  } finally {
    for (const index of indexes) await query(index.definition);
  }
}

/**
 * `count` tips, `TIP_CHUNK` per statement. Each statement writes the ledger transaction (kind `tip`), its two
 * entries (wallet −amount, earnings +amount: balanced) and the tip row. Tippers are uniform; 70 % of a tipper's
 * tips go to one of their three favourite streamers, the rest to anyone; streamers are skewed (a few popular);
 * amounts log-uniform 1–400, 5 % anonymous. `spreadDays` spreads `created_at` back over that many days (more of
 * them recent); 0 writes them now.
 */
export async function insertTips(query: Query, tag: string, count: number, spreadDays: number) {
  const [sizes] = await query<{ viewers: number; streamers: number }>(
    `select (select count(*) from bench_viewers)::int as viewers, (select count(*) from bench_streamers)::int as streamers`,
  );
  for (let from = 1; from <= count; from += TIP_CHUNK) {
    const to = Math.min(count, from + TIP_CHUNK - 1);
    await query(
      `with x as (
         select n, 1 + floor(random() * $4)::int as v, floor(random() * 3)::int as favourite, random() as loyal
         from generate_series($2::int, $3::int) as n
       ), g as materialized (
         select n, v,
                1 + floor($5 * power(case when loyal < 0.7
                  then ((v::bigint * 2654435761 + favourite * 40503) % 1000003)::float8 / 1000003
                  else random() end, 2))::int as s,
                greatest(1, floor(exp(random() * 6)))::bigint as amount, random() < 0.05 as anonymous,
                now() - power(random(), 2) * make_interval(days => $6::int) as at
         from x
       ), r as materialized (
         select g.*, $1 || g.n as key, v.user_id as tipper, v.wallet_id, s.user_id as streamer, s.stream_id,
                s.earnings_id
         from g join bench_viewers v on v.n = g.v join bench_streamers s on s.n = g.s
       ), t as (
         insert into ledger_transactions (kind, idempotency_key, request_hash, metadata, created_at)
         select 'tip', r.key, 'bench', jsonb_build_object('streamId', r.stream_id), r.at from r order by r.n
         returning id, idempotency_key
       ), e as (
         insert into ledger_entries (transaction_id, account_id, amount, created_at)
         select t.id, r.wallet_id, -r.amount, r.at from t join r on r.key = t.idempotency_key
         union all
         select t.id, r.earnings_id, r.amount, r.at from t join r on r.key = t.idempotency_key
       )
       insert into tips (stream_id, from_user_id, to_user_id, amount_tokens, anonymous, ledger_transaction_id, created_at)
       select r.stream_id, r.tipper, r.streamer, r.amount, r.anonymous, t.id, r.at
       from t join r on r.key = t.idempotency_key`,
      [`${tag}:`, from, to, sizes!.viewers, sizes!.streamers, spreadDays],
    );
  }
}

/** Every balance as its account's entries sum it (each account has one shard here). */
export async function settleBalances(database: TestDatabase) {
  await database.query(
    `update ledger_balances b set balance = s.total
     from (select account_id, sum(amount) as total from ledger_entries group by account_id) s
     where b.account_id = s.account_id and b.shard = 0 and b.balance <> s.total`,
  );
}

/** What the clients ask about: the scopes that have tips, and sessions for `signedIn` of the tippers. */
export async function boardWorld(database: TestDatabase, signedIn: number): Promise<BoardWorld> {
  const q = database.query;
  const continents = (await q<{ code: string }>(`select code from regions where kind = 'continent'`)).map(
    (row) => row.code,
  );
  const countries = (
    await q<{ code: string }>(
      `select distinct r.code from users u join regions c on c.id = u.region_id join regions r on r.id = c.parent_id`,
    )
  ).map((row) => row.code);
  const categoryIds = (await q<{ id: number }>(`select id from categories`)).map((row) => row.id);
  const streamIds = (await q<{ stream_id: string }>(`select stream_id from bench_streamers`)).map(
    (row) => row.stream_id,
  );
  const users = await q<{ user_id: string }>(`select user_id from bench_viewers order by random() limit $1`, [
    signedIn,
  ]);
  const sessions: string[] = [];
  for (let at = 0; at < users.length; at += 100) {
    const batch = users.slice(at, at + 100);
    const made = await Promise.all(
      batch.map((user) => createSession(database.db, systemClock, user.user_id)),
    );
    sessions.push(...made.map((session) => session.token));
  }
  return { continents, countries, categoryIds, streamIds, sessions };
}
