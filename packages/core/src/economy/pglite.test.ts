import { expect, test } from 'bun:test';
import {
  createEmbeddedTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
} from '../testing.ts';
import { walletBalance } from './history.ts';
import { sendTip } from './tips.ts';

/** `bun run dev` without DATABASE_URL runs the same ledger engine on the embedded PGlite. */
test('the ledger engine works on the embedded database too', async () => {
  const deps = await createEmbeddedTestDeps();
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id, { title: 'Embedded' });
  await fundWallet(deps, viewer.user.id, 100);
  const tip = { streamId: stream.id, anonymous: false };
  const sent = await sendTip(deps, viewer.user.id, {
    ...tip,
    amountTokens: 40,
    idempotencyKey: crypto.randomUUID(),
  });
  expect(sent.walletBalance).toBe(60);
  await expect(
    sendTip(deps, viewer.user.id, { ...tip, amountTokens: 400, idempotencyKey: crypto.randomUUID() }),
  ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  expect((await walletBalance(deps, streamer.user.id)).earningsTokens).toBe(40);
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.close();
}, 60_000);
