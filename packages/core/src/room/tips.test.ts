import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ledgerTransactions, tips } from '@app/db/schema';
import { count, eq } from 'drizzle-orm';
import { walletBalance } from '../economy/history.ts';
import { sendTipInput } from '../economy/tips.ts';
import type { BusEvent } from '../kernel/ports.ts';
import { banUser } from '../moderation/platform-ban.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '../testing.ts';
import { tipInRoom } from './tips.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();
const parse = (input: Record<string, unknown>) => sendTipInput.parse(input);

async function scene(walletTokens = 1_000) {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  if (walletTokens > 0) await fundWallet(deps, viewer.user.id, walletTokens);
  return { streamer, viewer, stream };
}

describe('sending a tip', () => {
  test('moves tokens from the wallet to the streamer’s earnings and tells everyone watching', async () => {
    const { streamer, viewer, stream } = await scene(500);
    const heard: BusEvent[] = [];
    deps.bus.subscribe(`stream:${stream.id}`, (event) => heard.push(event));
    const sent = await tipInRoom(
      deps,
      viewer.user.id,
      parse({ streamId: stream.id, amountTokens: 120, note: 'great set!', idempotencyKey: key() }),
    );
    expect(sent.walletBalance).toBe(380);
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(380);
    expect((await walletBalance(deps, streamer.user.id)).earningsTokens).toBe(120);
    expect(heard).toEqual([
      expect.objectContaining({
        type: 'chat.message',
        kind: 'tip',
        text: 'great set!',
        tip: { tipId: sent.tip.id, amountTokens: 120 },
        sender: expect.objectContaining({ username: viewer.user.username }),
        eventId: expect.any(Number),
      }),
    ]);
  });

  test('an anonymous tip does not name the sender to the room', async () => {
    const { viewer, stream } = await scene(50);
    const heard: BusEvent[] = [];
    deps.bus.subscribe(`stream:${stream.id}`, (event) => heard.push(event));
    await tipInRoom(
      deps,
      viewer.user.id,
      parse({ streamId: stream.id, amountTokens: 5, anonymous: true, idempotencyKey: key() }),
    );
    expect(heard[0]).toMatchObject({ type: 'chat.message', kind: 'tip', sender: null });
    expect(JSON.stringify(heard)).not.toContain(viewer.user.username);
  });

  test('the same idempotency key returns the first tip and moves nothing; a different request is refused', async () => {
    const { viewer, stream } = await scene(300);
    const idempotencyKey = key();
    const input = parse({ streamId: stream.id, amountTokens: 100, idempotencyKey });
    const first = await tipInRoom(deps, viewer.user.id, input);
    const again = await tipInRoom(deps, viewer.user.id, input);
    expect(again.replayed).toBe(true);
    expect(again.tip.id).toBe(first.tip.id);
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(200);
    await expect(
      tipInRoom(deps, viewer.user.id, parse({ streamId: stream.id, amountTokens: 101, idempotencyKey })),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const [rows] = await deps.db.select({ n: count() }).from(tips).where(eq(tips.fromUserId, viewer.user.id));
    expect(rows!.n).toBe(1);
  });

  test('another user may use the same key: keys are per user', async () => {
    const { stream } = await scene(0);
    const a = await createTestUser(deps);
    const b = await createTestUser(deps);
    await fundWallet(deps, a.user.id, 10);
    await fundWallet(deps, b.user.id, 10);
    const input = parse({ streamId: stream.id, amountTokens: 10, idempotencyKey: 'shared-key-123' });
    await tipInRoom(deps, a.user.id, input);
    const second = await tipInRoom(deps, b.user.id, input);
    expect(second.replayed).toBe(false);
  });
});

describe('refused tips move nothing', () => {
  const refusals: Array<[string, (s: Awaited<ReturnType<typeof scene>>) => Promise<unknown>, string]> = [
    [
      'more than the balance',
      (s) =>
        tipInRoom(
          deps,
          s.viewer.user.id,
          parse({ streamId: s.stream.id, amountTokens: 1_001, idempotencyKey: key() }),
        ),
      'INSUFFICIENT_FUNDS',
    ],
    [
      'tipping yourself',
      (s) =>
        tipInRoom(
          deps,
          s.streamer.user.id,
          parse({ streamId: s.stream.id, amountTokens: 1, idempotencyKey: key() }),
        ),
      'INVALID_INPUT',
    ],
    [
      'an offline stream',
      async (s) => {
        const ended = await createTestStream(deps, s.streamer.user.id, { status: 'ended' });
        return tipInRoom(
          deps,
          s.viewer.user.id,
          parse({ streamId: ended.id, amountTokens: 1, idempotencyKey: key() }),
        );
      },
      'INVALID_INPUT',
    ],
    [
      'a banned streamer',
      async (s) => {
        const admin = await createTestUser(deps, { role: 'admin' });
        await banUser(deps, admin.user.id, s.streamer.user.id, 'fraud');
        return tipInRoom(
          deps,
          s.viewer.user.id,
          parse({ streamId: s.stream.id, amountTokens: 1, idempotencyKey: key() }),
        );
      },
      'NOT_FOUND',
    ],
    [
      'over this deployment’s largest tip',
      (s) =>
        tipInRoom(
          deps,
          s.viewer.user.id,
          parse({ streamId: s.stream.id, amountTokens: 100_001, idempotencyKey: key() }),
        ),
      'INVALID_INPUT',
    ],
    [
      'an unknown stream',
      (s) =>
        tipInRoom(
          deps,
          s.viewer.user.id,
          parse({ streamId: crypto.randomUUID(), amountTokens: 1, idempotencyKey: key() }),
        ),
      'NOT_FOUND',
    ],
  ];
  for (const [label, attempt, code] of refusals) {
    test(label, async () => {
      const s = await scene(1_000);
      const [before] = await deps.db.select({ n: count() }).from(ledgerTransactions);
      await expect(attempt(s)).rejects.toMatchObject({ code });
      const [after] = await deps.db.select({ n: count() }).from(ledgerTransactions);
      expect(after!.n).toBe(before!.n);
      expect((await walletBalance(deps, s.viewer.user.id)).walletTokens).toBe(1_000);
      expect((await walletBalance(deps, s.streamer.user.id)).earningsTokens).toBe(0);
    });
  }

  test('zero, negative, fractional, over-limit amounts and long notes are invalid input', () => {
    const base = { streamId: crypto.randomUUID(), idempotencyKey: key() };
    for (const amountTokens of [0, -5, 2.5, 10_000_001, Number.NaN, '10']) {
      expect(sendTipInput.safeParse({ ...base, amountTokens }).success).toBe(false);
    }
    expect(sendTipInput.safeParse({ ...base, amountTokens: 1, note: 'x'.repeat(201) }).success).toBe(false);
    expect(sendTipInput.safeParse({ ...base, amountTokens: 1, idempotencyKey: 'short' }).success).toBe(false);
  });
});

describe('under concurrency', () => {
  test('50 clients tipping at once from wallets with just enough end with exactly the right balances', async () => {
    const { stream, streamer } = await scene(0);
    const viewers = await Promise.all(Array.from({ length: 50 }, () => createTestUser(deps)));
    await Promise.all(viewers.map((v) => fundWallet(deps, v.user.id, 30)));
    // Each viewer sends three 10-token tips and one more that cannot be covered.
    const attempts = viewers.flatMap((v) =>
      [10, 10, 10, 10].map((amountTokens) =>
        tipInRoom(deps, v.user.id, parse({ streamId: stream.id, amountTokens, idempotencyKey: key() })).then(
          () => 'ok',
          (error) => error.code,
        ),
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(150);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_FUNDS')).toHaveLength(50);
    for (const v of viewers) expect((await walletBalance(deps, v.user.id)).walletTokens).toBe(0);
    expect((await walletBalance(deps, streamer.user.id)).earningsTokens).toBe(1_500);
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  }, 30_000);

  test('a thousand random tips, replays and refusals keep every invariant', async () => {
    const streamers = await Promise.all([1, 2, 3].map(() => scene(0)));
    const viewers = await Promise.all(Array.from({ length: 20 }, () => createTestUser(deps)));
    await Promise.all(viewers.map((v) => fundWallet(deps, v.user.id, 400)));
    const keys: string[] = [];
    let tipped = 0;
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 100 }, () => {
        const viewer = viewers[Math.floor(Math.random() * viewers.length)]!;
        const target = streamers[Math.floor(Math.random() * streamers.length)]!;
        const replay = keys.length > 0 && Math.random() < 0.1;
        const idempotencyKey = replay ? keys[Math.floor(Math.random() * keys.length)]! : key();
        if (!replay) keys.push(idempotencyKey);
        const amountTokens = 1 + Math.floor(Math.random() * 60);
        return tipInRoom(
          deps,
          viewer.user.id,
          parse({ streamId: target.stream.id, amountTokens, idempotencyKey }),
        ).then(
          (r) => {
            if (!r.replayed) tipped += r.tip.amountTokens;
          },
          () => {},
        );
      });
      await Promise.all(batch);
    }
    expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
    const earned = await Promise.all(streamers.map((s) => walletBalance(deps, s.streamer.user.id)));
    const spent = await Promise.all(viewers.map((v) => walletBalance(deps, v.user.id)));
    expect(earned.reduce((sum, b) => sum + b.earningsTokens, 0)).toBe(tipped);
    expect(spent.reduce((sum, b) => sum + b.walletTokens, 0)).toBe(20 * 400 - tipped);
  }, 60_000);
});

describe('analytics', () => {
  test('totals per day and week, top tippers (anonymous hidden), per stream and the average', async () => {
    const { streamer, viewer, stream } = await scene(1_000);
    const other = await createTestUser(deps);
    await fundWallet(deps, other.user.id, 1_000);
    const tip = (who: string, amountTokens: number, anonymous = false) =>
      tipInRoom(deps, who, parse({ streamId: stream.id, amountTokens, anonymous, idempotencyKey: key() }));
    await tip(viewer.user.id, 100);
    await tip(viewer.user.id, 50);
    await tip(other.user.id, 30);
    await tip(other.user.id, 20, true);
    const { tipAnalytics } = await import('../economy/history.ts');
    const stats = await tipAnalytics(deps, streamer.user.id, '7d');
    expect(stats).toMatchObject({ totalTokens: 200, tipCount: 4, averageTip: 50 });
    expect(stats.perDay).toEqual([expect.objectContaining({ tokens: 200, count: 4 })]);
    expect(stats.perWeek).toHaveLength(1);
    expect(stats.topTippers.map((t) => ({ username: t.username, tokens: t.tokens }))).toEqual([
      { username: viewer.user.username, tokens: 150 },
      { username: other.user.username, tokens: 30 },
    ]);
    expect(stats.perStream).toEqual([
      expect.objectContaining({ streamId: stream.id, tokens: 200, count: 4 }),
    ]);
  });
});

describe('a hot streamer', () => {
  test('credits spread over the earnings account’s balance rows instead of queueing on one', async () => {
    const { streamer, stream } = await scene(0);
    const viewers = await Promise.all(Array.from({ length: 10 }, () => createTestUser(deps)));
    await Promise.all(viewers.map((v) => fundWallet(deps, v.user.id, 100)));
    await Promise.all(
      viewers.flatMap((v) =>
        [1, 2, 3, 4].map(() =>
          tipInRoom(deps, v.user.id, parse({ streamId: stream.id, amountTokens: 5, idempotencyKey: key() })),
        ),
      ),
    );
    const { ledgerAccounts, ledgerBalances } = await import('@app/db/schema');
    const { and, gt } = await import('drizzle-orm');
    const rows = await deps.db
      .select({ shard: ledgerBalances.shard })
      .from(ledgerBalances)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerBalances.accountId))
      .where(
        and(
          eq(ledgerAccounts.userId, streamer.user.id),
          eq(ledgerAccounts.kind, 'earnings'),
          gt(ledgerBalances.balance, 0),
        ),
      );
    expect(rows.length).toBeGreaterThan(4);
    expect((await walletBalance(deps, streamer.user.id)).earningsTokens).toBe(200);
  });
});
