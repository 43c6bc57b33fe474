import { expect, test } from 'bun:test';
import { sendTip } from '../economy/tips.ts';
import { createEmbeddedTestDeps, createTestStream, createTestUser, fundWallet } from '../testing.ts';
import { type Projection, projectUntilCaughtUp } from './projector.ts';

/** `bun run dev` without DATABASE_URL projects the room economy from the embedded database's ledger. */
test('the projector reads the embedded database’s ledger, each tip once', async () => {
  const deps = await createEmbeddedTestDeps();
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, viewer.user.id, 100);
  const sent = await sendTip(deps, viewer.user.id, {
    streamId: stream.id,
    amountTokens: 40,
    anonymous: false,
    idempotencyKey: crypto.randomUUID(),
  });
  const projected: number[] = [];
  const recorder: Projection = {
    name: 'recorder',
    apply: async (_deps, _tx, facts) => {
      for (const fact of facts) if (fact.kind === 'tip') projected.push(fact.tipId);
      return undefined;
    },
  };
  await projectUntilCaughtUp(deps, [recorder]);
  await projectUntilCaughtUp(deps, [recorder]);
  expect(projected).toEqual([sent.tip.id]);
  await deps.close();
}, 60_000);
