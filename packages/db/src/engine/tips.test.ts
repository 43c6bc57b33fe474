import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { EngineRefusal } from './refusals.ts';
import { balanceOf, insertAccount, insertStream, insertUser, type TestAccount } from './testing.ts';
import { type SendTipInput, sendTip, sendTipMany } from './tips.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

type Scene = {
  streamerId: string;
  streamId: string;
  tipperId: string;
  wallet: TestAccount;
  earnings: TestAccount;
};

/** A streamer with earnings and a stream, and a tipper with a wallet of 100 tokens. */
async function scene(
  options: { status?: 'draft' | 'live' | 'ended'; streamerBanned?: boolean; frozen?: boolean } = {},
): Promise<Scene> {
  const streamerId = await insertUser(database.db, {
    role: 'streamer',
    banned: options.streamerBanned ?? false,
  });
  const tipperId = await insertUser(database.db);
  const streamId = await insertStream(database.db, streamerId, { status: options.status ?? 'live' });
  const wallet = await insertAccount(database.db, 'wallet', tipperId, {
    balance: 100,
    frozen: options.frozen,
  });
  const earnings = await insertAccount(database.db, 'earnings', streamerId, { shardCount: 2 });
  return { streamerId, streamId, tipperId, wallet, earnings };
}

function tip(at: Scene, amountTokens: number, overrides: Partial<SendTipInput> = {}): SendTipInput {
  return {
    idempotencyKey: `tip:${at.tipperId}:${crypto.randomUUID()}`,
    requestHash: `amount-${amountTokens}`,
    streamId: at.streamId,
    fromUserId: at.tipperId,
    walletAccountId: at.wallet.id,
    earningsAccountId: at.earnings.id,
    earningsShardCount: at.earnings.shardCount,
    amountTokens,
    note: 'great show',
    anonymous: false,
    now: new Date(),
    duplicateSeconds: 30,
    ...overrides,
  };
}

async function refusalOfTip(input: SendTipInput): Promise<EngineRefusal> {
  const error = await sendTip(database.db, input).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof EngineRefusal)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('sendTip', () => {
  test('moves the tokens, stores the tip and says who sent it; the same key replays the first tip', async () => {
    const at = await scene();
    const input = tip(at, 25);
    const sent = await sendTip(database.db, input);
    expect(sent).toMatchObject({ replayed: false, walletBalance: 75, toUserId: at.streamerId });
    expect(typeof sent.tipId).toBe('number');
    expect(sent.createdAt).toBeInstanceOf(Date);
    const [tipper] = await database.query<{ username: string; display_name: string }>(
      'SELECT username, display_name FROM users WHERE id = $1',
      [at.tipperId],
    );
    expect(sent.fromUsername).toBe(tipper!.username);
    expect(sent.fromDisplayName).toBe(tipper!.display_name);
    expect(await balanceOf(database.db, at.earnings.id)).toBe(25);

    const again = await sendTip(database.db, input);
    expect(again).toEqual({
      tipId: sent.tipId,
      createdAt: sent.createdAt,
      replayed: true,
      walletBalance: null,
      toUserId: at.streamerId,
      fromUsername: null,
      fromDisplayName: null,
    });
    expect(await balanceOf(database.db, at.wallet.id)).toBe(75);
  });

  test('a stream that does not exist: STREAM_NOT_FOUND', async () => {
    const at = await scene();
    const refusal = await refusalOfTip(tip(at, 5, { streamId: crypto.randomUUID() }));
    expect(refusal).toMatchObject({ code: 'STREAM_NOT_FOUND', sqlState: 'LU001', detail: {} });
  });

  test('a streamer tipping their own stream: OWN_STREAM', async () => {
    const at = await scene();
    const refusal = await refusalOfTip(tip(at, 5, { fromUserId: at.streamerId }));
    expect(refusal).toMatchObject({ code: 'OWN_STREAM', sqlState: 'LU004' });
  });

  test('a stream that is not live: NOT_LIVE with its status, and nothing moves', async () => {
    for (const status of ['draft', 'ended'] as const) {
      const at = await scene({ status });
      const refusal = await refusalOfTip(tip(at, 5));
      expect(refusal).toMatchObject({ code: 'NOT_LIVE', sqlState: 'LU003', detail: { status } });
      expect(await balanceOf(database.db, at.wallet.id)).toBe(100);
    }
  });

  test('a banned streamer: STREAMER_BANNED', async () => {
    const at = await scene({ streamerBanned: true });
    expect(await refusalOfTip(tip(at, 5))).toMatchObject({ code: 'STREAMER_BANNED', sqlState: 'LU005' });
  });

  test('a frozen wallet: WALLET_FROZEN, and nothing moves', async () => {
    const at = await scene({ frozen: true });
    expect(await refusalOfTip(tip(at, 5))).toMatchObject({ code: 'WALLET_FROZEN', sqlState: 'LU006' });
    expect(await balanceOf(database.db, at.wallet.id)).toBe(100);
  });

  test('more than the wallet holds: INSUFFICIENT_FUNDS with what is available', async () => {
    const at = await scene();
    const refusal = await refusalOfTip(tip(at, 101));
    expect(refusal).toMatchObject({ code: 'INSUFFICIENT_FUNDS', detail: { available: 100 } });
  });
});

describe('sendTipMany', () => {
  const item = (at: Scene, amountTokens: number, overrides: Partial<SendTipInput> = {}) => {
    const { duplicateSeconds: _, ...rest } = tip(at, amountTokens, overrides);
    return rest;
  };

  test('one refused tip leaves the others of the call stored; each answer comes back in order', async () => {
    const at = await scene();
    const ended = await scene({ status: 'ended' });
    const outcomes = await sendTipMany(
      database.db,
      [item(at, 30), item(at, 500), item(ended, 5), item(at, 20)],
      { duplicateSeconds: 30 },
    );
    expect(outcomes.map((o) => (o.ok ? 'ok' : 'refusal' in o ? o.refusal.code : 'error'))).toEqual([
      'ok',
      'INSUFFICIENT_FUNDS',
      'NOT_LIVE',
      'ok',
    ]);
    const [first, funds, , last] = outcomes;
    expect(first).toMatchObject({ ok: true, sent: { replayed: false, walletBalance: 70 } });
    expect(last).toMatchObject({ ok: true, sent: { replayed: false, walletBalance: 50 } });
    expect(funds).toMatchObject({ ok: false, refusal: { detail: { available: 70 } } });
    expect(await balanceOf(database.db, at.wallet.id)).toBe(50);
    expect(await balanceOf(database.db, at.earnings.id)).toBe(50);
    expect(await balanceOf(database.db, ended.wallet.id)).toBe(100);
  });

  test('a key given twice in one call is a replay of its first tip', async () => {
    const at = await scene();
    const twice = item(at, 40);
    const outcomes = await sendTipMany(database.db, [twice, twice], { duplicateSeconds: 30 });
    const [a, b] = outcomes.map((o) => {
      if (!o.ok) throw new Error('expected a tip');
      return o.sent;
    });
    expect(a).toMatchObject({ replayed: false, walletBalance: 60 });
    expect(b).toMatchObject({ replayed: true, tipId: a!.tipId });
    expect(await balanceOf(database.db, at.wallet.id)).toBe(60);
  });
});
