import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ledgerAccounts, ledgerTransactions, tips } from '@app/db/schema';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { DomainError } from '../kernel/errors.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '../testing.ts';
import { walletBalance } from './history.ts';
import { setLimits } from './limits.ts';
import { TIP_BATCH_MAX, TIP_DRAINS, tipQueueState } from './tip-queue.ts';
import { type SentTip, sendTip } from './tips.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();
const tip = (streamId: string, amountTokens: number, idempotencyKey = key()) => ({
  streamId,
  amountTokens,
  anonymous: false,
  idempotencyKey,
});

async function funded(tokens: number) {
  const viewer = await createTestUser(deps);
  if (tokens > 0) await fundWallet(deps, viewer.user.id, tokens);
  return viewer.user.id;
}

/** Waits for a condition of the database or the queue (not for time); gives up after ~10 s of polling. */
async function until(condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 2_000; i++) {
    if (await condition()) return;
    await Bun.sleep(5);
  }
  throw new Error('the condition never held');
}

async function backendsWaitingOnLocks(): Promise<number> {
  const rows = (await deps.db.execute(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as { n: number }[];
  return rows[0]?.n ?? 0;
}

/**
 * Fills every drain of the queue with one tip that waits on a wallet this test holds locked, so the tips sent next
 * wait in the queue and go to the database together once `release` is called. Resolves with the held tips.
 */
async function holdDrains(streamId: string) {
  const holders = await Promise.all(Array.from({ length: TIP_DRAINS }, () => funded(100)));
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holding = deps.db.transaction(async (tx) => {
    await tx.execute(sql`
      select 1 from ledger_balances b join ledger_accounts a on a.id = b.account_id
      where a.kind = 'wallet' and a.user_id in ${holders} for update of b`);
    locked();
    await released;
  });
  await isLocked;
  const held = holders.map((holder) => sendTip(deps, holder, tip(streamId, 1)));
  await until(async () => (await backendsWaitingOnLocks()) >= TIP_DRAINS);
  return {
    held,
    release: async () => {
      release();
      await holding;
      return Promise.all(held);
    },
  };
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('tips waiting together go to the database in one call', () => {
  test('a refused tip leaves the other tips of its batch committed and answered', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    const ended = await createTestStream(deps, streamer.user.id, { status: 'ended' });
    const hold = await holdDrains(stream.id);

    const [rich, poor, frozen, limited, other] = await Promise.all([
      funded(500),
      funded(10),
      funded(500),
      funded(500),
      funded(500),
    ]);
    await deps.db
      .update(ledgerAccounts)
      .set({ frozenAt: new Date() })
      .where(and(eq(ledgerAccounts.userId, frozen), eq(ledgerAccounts.kind, 'wallet')));
    await setLimits(deps, limited, { dailyTokens: 20, weeklyTokens: null });
    const sent = [
      settle(sendTip(deps, rich, tip(stream.id, 100))),
      settle(sendTip(deps, poor, tip(stream.id, 50))),
      settle(sendTip(deps, rich, tip(ended.id, 5))),
      settle(sendTip(deps, frozen, tip(stream.id, 5))),
      settle(sendTip(deps, limited, tip(stream.id, 30))),
      settle(sendTip(deps, other, tip(stream.id, 40))),
    ] as const;
    expect(sent.length).toBeLessThanOrEqual(TIP_BATCH_MAX);
    await until(() => tipQueueState(deps.db).waiting === sent.length);
    await hold.release();
    const [first, funds, notLive, wallet, limit, last] = await Promise.all(sent);

    const refusedWith = (outcome: Awaited<(typeof sent)[number]>) => {
      if (outcome.ok || !(outcome.error instanceof DomainError)) throw new Error('expected a refusal');
      return { code: outcome.error.code, reason: outcome.error.reason, message: outcome.error.message };
    };
    expect(refusedWith(funds)).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      message: 'You have 10 tokens; this tip needs 50. Buy tokens to continue.',
    });
    expect(refusedWith(notLive)).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This stream is not live; tips open when it goes live.',
    });
    expect(refusedWith(wallet)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your wallet is frozen after a payment was reversed. Contact support.',
    });
    expect(refusedWith(limit)).toMatchObject({ code: 'FORBIDDEN', reason: 'SPENDING_LIMIT' });

    if (!first.ok || !last.ok) throw new Error('the tips around the refusals were not stored');
    expect(first.value).toMatchObject({ replayed: false, walletBalance: 400 });
    expect(last.value).toMatchObject({ replayed: false, walletBalance: 460 });
    // One call is one transaction: its tips share the transaction's start time.
    expect(first.value.tip.createdAt).toEqual(last.value.tip.createdAt);
    expect((await walletBalance(deps, streamer.user.id)).earningsTokens).toBe(100 + 40 + TIP_DRAINS * 1);
    for (const [user, tokens] of [
      [rich, 400],
      [poor, 10],
      [frozen, 500],
      [limited, 500],
      [other, 460],
    ] as const) {
      expect((await walletBalance(deps, user)).walletTokens).toBe(tokens);
    }
    const [stored] = await deps.db
      .select({ n: count() })
      .from(tips)
      .where(eq(tips.toUserId, streamer.user.id));
    expect(stored?.n).toBe(2 + TIP_DRAINS);
  });

  test('the same key twice at once charges once and answers both with the same tip', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    const viewer = await funded(100);
    const hold = await holdDrains(stream.id);
    const idempotencyKey = key();
    const both = [
      sendTip(deps, viewer, tip(stream.id, 30, idempotencyKey)),
      sendTip(deps, viewer, tip(stream.id, 30, idempotencyKey)),
    ];
    await until(() => tipQueueState(deps.db).waiting === 2);
    await hold.release();
    const [a, b] = await Promise.all(both);
    expect(a!.tip.id).toBe(b!.tip.id);
    expect([a!.replayed, b!.replayed].sort()).toEqual([false, true]);
    expect((await walletBalance(deps, viewer)).walletTokens).toBe(70);
    const [stored] = await deps.db.select({ n: count() }).from(tips).where(eq(tips.fromUserId, viewer));
    expect(stored?.n).toBe(1);
  });

  test('many tips at once from many viewers to two streamers conserve every token', async () => {
    const streamers = await Promise.all([1, 2].map(() => createTestUser(deps, { role: 'streamer' })));
    const streams = await Promise.all(streamers.map((s) => createTestStream(deps, s.user.id)));
    const viewers = await Promise.all(Array.from({ length: 24 }, () => funded(60)));
    const retriedBefore = tipQueueState(deps.db).retried;
    // Each viewer tries 8 tips of 1..15 tokens at once: some are more than what is left and are refused.
    const attempts = viewers.flatMap((viewer, v) =>
      Array.from({ length: 8 }, (_, i) => {
        const amountTokens = 1 + ((v * 7 + i * 5) % 15);
        const streamId = streams[(v + i) % 2]!.id;
        return settle(sendTip(deps, viewer, tip(streamId, amountTokens))).then((outcome) => ({
          outcome,
          amountTokens,
        }));
      }),
    );
    const outcomes = await Promise.all(attempts);
    const stored = outcomes.filter((o) => o.outcome.ok);
    for (const o of outcomes) {
      if (!o.outcome.ok) expect((o.outcome.error as DomainError).code).toBe('INSUFFICIENT_FUNDS');
    }
    const tipped = stored.reduce((sum, o) => sum + o.amountTokens, 0);
    const walletsLeft = await Promise.all(viewers.map((v) => walletBalance(deps, v)));
    const earned = await Promise.all(streamers.map((s) => walletBalance(deps, s.user.id)));
    expect(walletsLeft.reduce((sum, w) => sum + w.walletTokens, 0)).toBe(24 * 60 - tipped);
    expect(earned.reduce((sum, e) => sum + e.earningsTokens, 0)).toBe(tipped);
    const ids = new Set(stored.map((o) => (o.outcome as { value: SentTip }).value.tip.id));
    expect(ids.size).toBe(stored.length);
    const [rows] = await deps.db
      .select({ n: count() })
      .from(tips)
      .where(
        inArray(
          tips.toUserId,
          streamers.map((s) => s.user.id),
        ),
      );
    expect(rows?.n).toBe(stored.length);
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
    // Batches in flight never share a wallet and lock streamers in one order: no tip lost a deadlock.
    expect(tipQueueState(deps.db).retried).toBe(retriedBefore);
    // 192 tips: on a busy machine this takes seconds, not the default 5 s bound.
  }, 60_000);
});

describe('a full tip queue', () => {
  test('refuses at once with TOO_MANY_REQUESTS’ sentence and stores nothing; the same tip goes through later', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    const viewer = await funded(100);
    const hold = await holdDrains(stream.id);
    // Full: as many tips pending as the bound allows (the held ones).
    const small = { ...deps, economy: { ...deps.economy, tipQueueMax: tipQueueState(deps.db).pending } };
    const input = tip(stream.id, 25);
    const refused = await settle(sendTip(small, viewer, input));
    if (refused.ok || !(refused.error instanceof DomainError)) throw new Error('expected a refusal');
    expect(refused.error.code).toBe('RATE_LIMITED');
    expect(refused.error.message).toBe(
      'Tips are arriving faster than they can be stored. Wait a moment and try again.',
    );
    const [keys] = await deps.db
      .select({ n: count() })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, `tip:${viewer}:${input.idempotencyKey}`));
    expect(keys?.n).toBe(0);
    expect((await walletBalance(deps, viewer)).walletTokens).toBe(100);
    await hold.release();
    const later = await sendTip(deps, viewer, input);
    expect(later).toMatchObject({ replayed: false, walletBalance: 75 });
  });
});
