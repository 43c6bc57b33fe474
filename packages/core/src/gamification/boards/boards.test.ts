import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { roomKings, streamerLevels, tips, userLevels, userSpendDays } from '@app/db/schema';
import { sql } from 'drizzle-orm';
import {
  chargeFor,
  createTestDeps,
  deliverStripeEvent,
  startStripeFake,
  type TestDeps,
  testRedis,
} from '../../testing.ts';
import type { Fact } from '../facts.ts';
import { kingTops } from '../kings.ts';
import {
  advance,
  type ProjectorState,
  projectOnce,
  projectorState,
  projectUntilCaughtUp,
} from '../projector.ts';
import { rebuildLevels } from '../rebuild-levels.ts';
import { XP_PROJECTION } from '../xp.ts';
import { refreshLiveSeconds } from '../xp-store.ts';
import { boardWorld, seeded, stripeBuyer } from './fixture.ts';
import { dayBucket, hourBucket, monthBucket, weekBucket } from './keys.ts';
import { boardsProjection } from './projection.ts';
import { rebuildBoards } from './rebuild.ts';

// Everything on the boards is a projection of the ledger: after a thousand random tips, refunds and claw-backs,
// flushing Redis and rebuilding from Postgres gives the same boards and crowns, key for key.

let deps: TestDeps;
let redis: Awaited<ReturnType<typeof testRedis>>;
let fake: ReturnType<typeof startStripeFake>;
// Levels too: the same thousand tips' XP, levels and spend tiers must come back from a rebuild.
const PROJECTIONS = [XP_PROJECTION, boardsProjection];

beforeAll(async () => {
  fake = startStripeFake();
  redis = await testRedis();
  deps = await createTestDeps({ redis, stripe: fake.stripe });
}, 30_000);
afterAll(async () => {
  await redis.flush();
  redis.client.close();
  fake.stop();
  await deps.database.drop();
});

async function scan(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = (await redis.client.send('SCAN', [cursor, 'MATCH', pattern, 'COUNT', '1000'])) as [
      string,
      string[],
    ];
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Every board key with its members and scores, in rank order (ties by member, as ZREVRANGE). */
async function boardsNow(): Promise<Record<string, string[]>> {
  const keys = [
    ...(await scan(`${redis.prefix}lb:tippers:*`)),
    ...(await scan(`${redis.prefix}lb:streamers:*`)),
  ];
  const out: Record<string, string[]> = {};
  for (const key of keys.sort()) {
    out[key.slice(redis.prefix.length)] = (await redis.client.send('ZREVRANGE', [
      key,
      '0',
      '-1',
      'WITHSCORES',
    ])) as string[];
  }
  return out;
}

/** The boards' part of a pass outside Postgres, written to Redis (as the projector does before it commits). */
async function applyOutside(facts: Fact[], next: ProjectorState) {
  const send = await boardsProjection.outside!(deps, facts, next);
  await send?.();
}

async function score(relative: string, member: string): Promise<number | null> {
  const value = (await redis.client.send('ZSCORE', [`${redis.prefix}lb:${relative}`, member])) as
    | string
    | null;
  return value === null ? null : Number(value);
}

describe('boards in Redis', () => {
  test('flush, rebuild, compare: 1,000 random tips with refunds and claw-backs give identical boards, ranks, kings and levels', async () => {
    const world = await boardWorld(deps, { streamers: 5, tippers: 14, tokensEach: 20_000 });
    const buyers = [
      await stripeBuyer(deps, 3_000),
      await stripeBuyer(deps, 3_000),
      await stripeBuyer(deps, 3_000),
    ];
    const random = seeded(12);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    for (let i = 0; i < 1_000; i++) {
      const from = i % 10 === 0 ? pick(buyers) : pick(world.tippers);
      await world.tip(
        from.id,
        pick(world.streamers).streamId,
        1 + Math.floor(random() * 30),
        random() < 0.15,
      );
      if (i % 150 === 149) await projectOnce(deps, PROJECTIONS);
    }
    await projectUntilCaughtUp(deps, PROJECTIONS);
    // A refund and a dispute after their tips were on the boards; a third refund before the next pass.
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(buyers[0]!.intentId));
    await projectUntilCaughtUp(deps, PROJECTIONS);
    await deliverStripeEvent(deps, 'charge.dispute.created', chargeFor(buyers[1]!.intentId, 'dispute'));
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(buyers[2]!.intentId));
    await projectUntilCaughtUp(deps, PROJECTIONS);

    const [reversed] = (await deps.db.execute(
      sql`select count(*)::int as n from ${tips} where reversal_transaction_id is not null`,
    )) as unknown as { n: number }[];
    expect(reversed!.n).toBeGreaterThan(0);
    const live = await boardsNow();
    expect(Object.keys(live).some((key) => key.includes(':h:'))).toBe(true);
    expect(Object.keys(live).some((key) => key.startsWith('lb:tippers:ctry:FR:'))).toBe(true);
    const streamerIds = world.streamers.map((s) => s.id);
    const liveKings = await kingTops(deps, deps.db, streamerIds);
    // The boards hold what the tips table says: every streamer's all-time total, net of reversals.
    const totals = (await deps.db.execute(sql`
      select to_user_id as id, sum(amount_tokens - coalesce(reversed_tokens, 0))::float8 as total
      from ${tips} group by 1`)) as unknown as { id: string; total: number }[];
    for (const row of totals)
      expect(await score('streamers:g:all', row.id)).toBe(row.total > 0 ? row.total : null);
    // The stored crowns are the ones the hourly keys give.
    const stored = await deps.db.select().from(roomKings);
    expect(stored.filter((row) => row.userId !== null)).toHaveLength(streamerIds.length);
    for (const id of streamerIds) {
      expect(stored.find((row) => row.streamerId === id)?.userId ?? null).toBe(
        liveKings.get(id)?.userId ?? null,
      );
    }

    const levelsNow = async () => ({
      viewers: (await deps.db.select().from(userLevels)).map(({ updatedAt: _, ...row }) => row),
      streamers: (await deps.db.select().from(streamerLevels)).map(({ updatedAt: _, ...row }) => row),
      // A day whose tips were all refunded counts nothing: live keeps its row at 0, a rebuild writes none.
      days: (await deps.db.select().from(userSpendDays)).filter((day) => day.tokens !== 0),
    });
    const byId = <T extends { userId: string }>(rows: T[]) =>
      [...rows].sort(
        (a, b) => a.userId.localeCompare(b.userId) || JSON.stringify(a).localeCompare(JSON.stringify(b)),
      );
    // Hours live are the one input that is not the ledger: both sides count them up to the same moment.
    const at = new Date();
    await refreshLiveSeconds(deps.db, at);
    const liveLevels = await levelsNow();
    expect(liveLevels.viewers.some((row) => row.level >= 10)).toBe(true);

    await redis.flush();
    expect(await boardsNow()).toEqual({});
    const result = await rebuildBoards(deps);
    expect(result.keys).toBe(Object.keys(live).length);
    expect(await boardsNow()).toEqual(live);
    expect(await kingTops(deps, deps.db, streamerIds)).toEqual(liveKings);
    await rebuildLevels({ ...deps, clock: { now: () => at } });
    const rebuilt = await levelsNow();
    expect(byId(rebuilt.viewers)).toEqual(byId(liveLevels.viewers));
    expect(byId(rebuilt.streamers)).toEqual(byId(liveLevels.streamers));
    expect(byId(rebuilt.days)).toEqual(byId(liveLevels.days));
    // The projector goes on from the rebuilt watermark: the next tip counts once.
    const [tipper] = world.tippers;
    const before = (await score(`tippers:str:${world.streamers[0]!.id}:all`, tipper!.id)) ?? 0;
    await world.tip(tipper!.id, world.streamers[0]!.streamId, 9);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    expect(await score(`tippers:str:${world.streamers[0]!.id}:all`, tipper!.id)).toBe(before + 9);
  }, 120_000);

  test('the rebuild’s SQL buckets are the live path’s: UTC days, ISO weeks and week-years, months, hours', async () => {
    const instants = [
      '2026-12-02T23:59:59.999Z',
      '2026-12-03T00:00:00.000Z',
      '2026-12-27T23:59:59Z',
      '2026-12-28T00:00:00Z',
      '2027-01-03T23:59:59Z',
      '2027-01-04T00:00:00Z',
      '2024-12-30T00:00:00Z',
      '2021-01-03T12:00:00Z',
    ];
    for (const iso of instants) {
      const [row] = (await deps.db.execute(sql`
        select to_char(h, '"d:"YYYY-MM-DD') as d, to_char(h, '"w:"IYYY-"W"IW') as w, to_char(h, '"m:"YYYY-MM') as m,
          to_char(h, '"h:"YYYYMMDDHH24') as hr
        from (select date_trunc('hour', ${iso}::timestamptz at time zone 'UTC') as h) x`)) as unknown as {
        d: string;
        w: string;
        m: string;
        hr: string;
      }[];
      const at = new Date(iso);
      expect(row).toEqual({ d: dayBucket(at), w: weekBucket(at), m: monthBucket(at), hr: hourBucket(at) });
    }
  });

  test('a replayed pass applies once', async () => {
    const world = await boardWorld(deps, { streamers: 1, tippers: 1, tokensEach: 100 });
    await projectUntilCaughtUp(deps, PROJECTIONS);
    const { readFacts } = await import('../facts.ts');
    await world.tip(world.tippers[0]!.id, world.streamers[0]!.streamId, 7);
    const before = await projectorState(deps.db);
    const facts = await readFacts(deps.db, before.position, 100);
    const next = advance(before, facts, [], new Date());
    await applyOutside(facts, next);
    await applyOutside(facts, next);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    expect(await score(`tippers:str:${world.streamers[0]!.id}:all`, world.tippers[0]!.id)).toBe(7);
    expect(await score('streamers:g:all', world.streamers[0]!.id)).toBe(7);
  });

  test('a pass from a holder that fell behind (its lease taken over) changes nothing', async () => {
    const world = await boardWorld(deps, { streamers: 1, tippers: 1, tokensEach: 100 });
    await projectUntilCaughtUp(deps, PROJECTIONS);
    const { readFacts } = await import('../facts.ts');
    const stale = await projectorState(deps.db);
    await world.tip(world.tippers[0]!.id, world.streamers[0]!.streamId, 4);
    const facts = await readFacts(deps.db, stale.position, 100);
    // The current holder applies the tip; then the stale one replays its older view of the state.
    await projectUntilCaughtUp(deps, PROJECTIONS);
    const stored = async () => Number(await deps.redis!.client.get(`${deps.redis!.prefix}lb:wm`));
    const current = await stored();
    expect(current).toBeGreaterThan(stale.position);
    await applyOutside(facts, stale);
    // Redis keeps the newer state (moving it back would apply those facts again) and the tip counts once.
    expect(await stored()).toBe(current);
    await world.tip(world.tippers[0]!.id, world.streamers[0]!.streamId, 3);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    expect(await score(`tippers:str:${world.streamers[0]!.id}:all`, world.tippers[0]!.id)).toBe(7);
  });

  test('a rebuild does not swap in boards older than what Redis already holds', async () => {
    const world = await boardWorld(deps, { streamers: 1, tippers: 1, tokensEach: 100 });
    await projectUntilCaughtUp(deps, PROJECTIONS);
    const { readFacts } = await import('../facts.ts');
    await world.tip(world.tippers[0]!.id, world.streamers[0]!.streamId, 5);
    // A pass applied to Redis whose Postgres transaction has not committed yet.
    const before = await projectorState(deps.db);
    const facts = await readFacts(deps.db, before.position, 100);
    await applyOutside(facts, advance(before, facts, [], new Date()));
    const board = `tippers:str:${world.streamers[0]!.id}:all`;
    expect(await score(board, world.tippers[0]!.id)).toBe(5);
    await expect(rebuildBoards(deps)).rejects.toThrow('kept moving');
    expect(await score(board, world.tippers[0]!.id)).toBe(5);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    await rebuildBoards(deps);
    expect(await score(board, world.tippers[0]!.id)).toBe(5);
  });

  test('boards of another epoch (the database was reset under this Redis) are rebuilt, not trusted', async () => {
    const world = await boardWorld(deps, { streamers: 1, tippers: 1, tokensEach: 100 });
    await projectUntilCaughtUp(deps, PROJECTIONS);
    await redis.client.send('ZADD', [`${redis.prefix}lb:streamers:g:all`, '999', 'not-from-this-ledger']);
    await deps.db.execute(sql`update projector_cursors set epoch = gen_random_uuid()`);
    await world.tip(world.tippers[0]!.id, world.streamers[0]!.streamId, 6);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    expect(await score('streamers:g:all', 'not-from-this-ledger')).toBeNull();
    expect(await score(`tippers:str:${world.streamers[0]!.id}:all`, world.tippers[0]!.id)).toBe(6);
  });

  test('two tips committed out of id order both reach the boards', async () => {
    const world = await boardWorld(deps, { streamers: 1, tippers: 2, tokensEach: 100 });
    const [streamer] = world.streamers;
    const [slowTipper, fastTipper] = world.tippers;
    await projectUntilCaughtUp(deps, PROJECTIONS);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let taken: () => void = () => {};
    const idTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    // A transaction takes a ledger id and stays open; a later tip commits and is projected first.
    const slow = deps.db.transaction(async (tx) => {
      const [idRow] = (await tx.execute(
        sql`select nextval(pg_get_serial_sequence('ledger_transactions', 'id'))::float8 as id`,
      )) as unknown as { id: number }[];
      taken();
      await held;
      await tx.execute(sql`
        with lt as (
          insert into ledger_transactions (id, kind, idempotency_key, request_hash)
          overriding system value values (${idRow!.id}, 'tip', ${`slow:${idRow!.id}`}, 'x') returning id)
        insert into tips (stream_id, from_user_id, to_user_id, amount_tokens, ledger_transaction_id)
        select ${streamer!.streamId}::uuid, ${slowTipper!.id}::uuid, ${streamer!.id}::uuid, 3, lt.id from lt`);
    });
    await idTaken;
    await world.tip(fastTipper!.id, streamer!.streamId, 4);
    await projectOnce(deps, PROJECTIONS);
    const board = `tippers:str:${streamer!.id}:all`;
    expect(await score(board, fastTipper!.id)).toBe(4);
    expect(await score(board, slowTipper!.id)).toBeNull();
    release();
    await slow;
    await projectUntilCaughtUp(deps, PROJECTIONS);
    await projectUntilCaughtUp(deps, PROJECTIONS);
    expect(await score(board, slowTipper!.id)).toBe(3);
    expect(await score(board, fastTipper!.id)).toBe(4);
    expect(await score('streamers:g:all', streamer!.id)).toBe(7);
  });
});
