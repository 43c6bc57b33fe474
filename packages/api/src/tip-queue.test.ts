import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { walletBalance } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '@app/core/testing';
import { ledgerTransactions, menuRequests, tips } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq, like } from 'drizzle-orm';
import { callerFor } from './testing.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

async function viewer(tokens: number, economy: Partial<TestDeps['economy']> = {}) {
  const { user, token } = await createTestUser(deps);
  await fundWallet(deps, user.id, tokens);
  const { caller } = await callerFor({ ...deps, economy: { ...deps.economy, ...economy } }, token);
  return { user, caller };
}

describe('tips.send when the tip queue is full', () => {
  test('answers TOO_MANY_REQUESTS with a sentence a person can act on, and stores nothing', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const stream = await createTestStream(deps, streamer.user.id);
    // A queue that holds no tip at all is full for every tip.
    const { user, caller } = await viewer(100, { tipQueueMax: 0 });
    const refused = await caller.tips
      .send({ streamId: stream.id, amountTokens: 10, idempotencyKey: key() })
      .catch((e: TRPCError) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    expect((refused as TRPCError).message).toBe(
      'Tips are arriving faster than they can be stored. Wait a moment and try again.',
    );
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(100);
    const [keys] = await deps.db
      .select({ n: count() })
      .from(ledgerTransactions)
      .where(like(ledgerTransactions.idempotencyKey, `tip:${user.id}:%`));
    expect(keys?.n).toBe(0);
  });
});

describe('menu.tip through the tip queue', () => {
  test('the same key twice at once moves the price once and records one request', async () => {
    const owner = await createTestUser(deps, { role: 'streamer' });
    await createTestStream(deps, owner.user.id);
    const ownerCaller = (await callerFor(deps, owner.token)).caller;
    const item = await ownerCaller.menu.upsert({ label: 'Hydrate', priceTokens: 40 });
    const { user, caller } = await viewer(200);
    const idempotencyKey = key();
    const [a, b] = await Promise.all([
      caller.menu.tip({ itemId: item.id, idempotencyKey }),
      caller.menu.tip({ itemId: item.id, idempotencyKey }),
    ]);
    expect(a.tip.id).toBe(b.tip.id);
    expect(a.request.id).toBe(b.request.id);
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(160);
    const [requests] = await deps.db
      .select({ n: count() })
      .from(menuRequests)
      .where(eq(menuRequests.fromUserId, user.id));
    expect(requests?.n).toBe(1);
    const [stored] = await deps.db.select({ n: count() }).from(tips).where(eq(tips.fromUserId, user.id));
    expect(stored?.n).toBe(1);
  });
});
