import { expect, test } from 'bun:test';
import { createDatabase, migrateDatabase } from '@app/db/client';
import { streams, users } from '@app/db/schema';
import { DEFAULT_SESSIONS } from '../identity/session.ts';
import { createMemoryBus } from '../infra/bus.ts';
import { createMemoryPresence } from '../infra/presence.ts';
import { createMemoryLimiters } from '../infra/rate-limits.ts';
import { type CoreDeps, systemClock } from '../kernel/deps.ts';
import { createLivekit } from '../streams/livekit.ts';
import { UNREACHABLE_LIVEKIT } from '../testing.ts';
import { DEFAULT_ECONOMY } from './config.ts';
import { walletBalance } from './history.ts';
import { fundWallet, HEALTHY_LEDGER, ledgerInvariants } from './testing.ts';
import { sendTip } from './tips.ts';

/** `bun run dev` without DATABASE_URL runs the same ledger engine on the embedded PGlite. */
test('the ledger engine works on the embedded database too', async () => {
  const handle = await createDatabase({});
  await migrateDatabase(handle);
  const deps: CoreDeps = {
    db: handle.db,
    clock: systemClock,
    bus: createMemoryBus(),
    presence: createMemoryPresence(),
    limiters: createMemoryLimiters(),
    economy: DEFAULT_ECONOMY,
    sessions: DEFAULT_SESSIONS,
    stripe: null,
    streams: { liveWithoutMedia: true },
    livekit: createLivekit(UNREACHABLE_LIVEKIT),
    redis: null,
  };
  const person = async (username: string, role: 'viewer' | 'streamer') =>
    (
      await handle.db
        .insert(users)
        .values({
          username,
          email: `${username}@example.com`,
          passwordHash: 'x',
          displayName: username,
          role,
          dateOfBirth: '1990-01-01',
        })
        .returning()
    )[0]!;
  const streamer = await person('embedded_streamer', 'streamer');
  const viewer = await person('embedded_viewer', 'viewer');
  const [stream] = await handle.db
    .insert(streams)
    .values({
      streamerId: streamer.id,
      title: 'Embedded',
      livekitRoom: 'embedded-room',
      status: 'live',
      startedAt: new Date(),
    })
    .returning();
  await fundWallet(deps, viewer.id, 100);
  const tip = { streamId: stream!.id, anonymous: false };
  const sent = await sendTip(deps, viewer.id, {
    ...tip,
    amountTokens: 40,
    idempotencyKey: crypto.randomUUID(),
  });
  expect(sent.walletBalance).toBe(60);
  await expect(
    sendTip(deps, viewer.id, { ...tip, amountTokens: 400, idempotencyKey: crypto.randomUUID() }),
  ).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
  expect((await walletBalance(deps, streamer.id)).earningsTokens).toBe(40);
  expect(await ledgerInvariants(handle.db)).toEqual(HEALTHY_LEDGER);
  await handle.close();
}, 60_000);
