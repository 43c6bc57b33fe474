import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { sendTip, sendTipInput } from '../economy/tips.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  makeLive,
  type TestDeps,
} from '../testing.ts';
import { type Fact, isTipFact } from './facts.ts';
import {
  advance,
  GAP_GRACE_MS,
  type Projection,
  projectOnce,
  projectorState,
  projectUntilCaughtUp,
} from './projector.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps.database.drop();
});

/** A projection that records every tip it is given, to count how often each was applied. */
function recorder() {
  const seen: number[] = [];
  const projection: Projection = {
    name: 'recorder',
    apply: async (_deps, _tx, facts) => {
      for (const fact of facts) if (isTipFact(fact)) seen.push(fact.tipId);
      return undefined;
    },
  };
  return { seen, projection };
}

async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await makeLive(deps.db, stream.id);
  await fundWallet(deps, viewer.user.id, 10_000);
  const tip = (amountTokens: number) =>
    sendTip(
      deps,
      viewer.user.id,
      sendTipInput.parse({ streamId: stream.id, amountTokens, idempotencyKey: crypto.randomUUID() }),
    );
  return { streamer, viewer, stream, tip };
}

describe('the projector', () => {
  test('applies each tip once, however often it runs', async () => {
    const { tip } = await room();
    const { seen, projection } = recorder();
    await projectUntilCaughtUp(deps, [projection]);
    seen.length = 0;
    const sent = [await tip(5), await tip(7)];
    await projectUntilCaughtUp(deps, [projection]);
    await projectUntilCaughtUp(deps, [projection]);
    expect(seen).toEqual(sent.map((s) => s.tip.id));
  });

  test('a tip that commits after a higher id was projected is applied when it lands, once', async () => {
    const { tip, viewer, stream } = await room();
    const { seen, projection } = recorder();
    await projectUntilCaughtUp(deps, [projection]);
    seen.length = 0;
    // Take a ledger id in a transaction that stays open, then let a later tip commit and be projected first.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inFlightTipId = 0;
    const slow = deps.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      const [idRow] = (await tx.execute(
        sql`select nextval(pg_get_serial_sequence('ledger_transactions', 'id'))::float8 as id`,
      )) as unknown as { id: number }[];
      await held;
      // Spend that id now: a tip committed under it, as a slow tip transaction would.
      await tx.execute(sql`
        with lt as (
          insert into ledger_transactions (id, kind, idempotency_key, request_hash)
          overriding system value values (${idRow!.id}, 'tip', ${`slow:${idRow!.id}`}, 'x') returning id)
        insert into tips (stream_id, from_user_id, to_user_id, amount_tokens, ledger_transaction_id)
        select ${stream.id}::uuid, ${viewer.user.id}::uuid, s.streamer_id, 3, lt.id from lt, streams s
        where s.id = ${stream.id}::uuid`);
      const [row] = (await tx.execute(
        sql`select id::float8 as id from tips where ledger_transaction_id = ${idRow!.id}`,
      )) as unknown as { id: number }[];
      inFlightTipId = row!.id;
    });
    // Give the open transaction time to take its id before the later tip.
    await Bun.sleep(50);
    const later = await tip(4);
    const first = await projectOnce(deps, [projection]);
    expect(seen).toEqual([later.tip.id]);
    // The open transaction's id is waited for.
    expect(first.holes).toBe(1);
    release();
    await slow.catch(() => null);
    await projectUntilCaughtUp(deps, [projection]);
    await projectUntilCaughtUp(deps, [projection]);
    expect(seen.sort((a, b) => a - b)).toEqual([later.tip.id, inFlightTipId].sort((a, b) => a - b));
  });
});

describe('writes outside Postgres', () => {
  test('a write sent beside the transaction that fails fails the pass: nothing is committed, the next pass retries', async () => {
    const { tip } = await room();
    const { seen, projection } = recorder();
    await projectUntilCaughtUp(deps, [projection]);
    seen.length = 0;
    const sent = await tip(6);
    let failing = true;
    const sender: Projection = {
      name: 'sender',
      outside: async () => async () => {
        if (failing) throw new Error('store unreachable');
      },
    };
    const before = await projectorState(deps.db);
    await expect(projectOnce(deps, [projection, sender])).rejects.toThrow('store unreachable');
    expect((await projectorState(deps.db)).position).toBe(before.position);
    failing = false;
    seen.length = 0;
    await projectUntilCaughtUp(deps, [projection, sender]);
    expect(seen).toEqual([sent.tip.id]);
  });
});

describe('advancing the state', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const fact = (transactionId: number): Fact => ({ kind: 'other', transactionId, at: now });
  const state = (position: number, holes: [number, number][] = []) => ({
    epoch: 'e',
    position,
    holes: new Map(holes),
  });

  test('moves to the highest id read; the ids skipped become holes', () => {
    const next = advance(state(10), [fact(11), fact(12), fact(15)], [], now);
    expect(next.position).toBe(15);
    expect([...next.holes.keys()]).toEqual([13, 14]);
  });

  test('a hole that filled is gone, and so is one older than the grace (a rolled-back transaction)', () => {
    const old = now.getTime() - GAP_GRACE_MS - 1;
    const next = advance(
      state(20, [
        [13, now.getTime()],
        [14, old],
        [16, now.getTime()],
      ]),
      [],
      [fact(13)],
      now,
    );
    expect([...next.holes.keys()]).toEqual([16]);
    expect(next.position).toBe(20);
  });
});
