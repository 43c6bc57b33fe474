import { expect, test } from 'bun:test';
import { createDatabase, migrateDatabase } from '@app/db/client';
import { streams, users } from '@app/db/schema';
import { DEFAULT_ECONOMY } from '../economy/config.ts';
import { fundWallet } from '../economy/testing.ts';
import { sendTip } from '../economy/tips.ts';
import { projectUntilCaughtUp } from '../gamification/projector.ts';
import { DEFAULT_SESSIONS } from '../identity/session.ts';
import { createMemoryBus } from '../infra/bus.ts';
import { createMemoryPresence } from '../infra/presence.ts';
import { createMemoryLimiters } from '../infra/rate-limits.ts';
import { type CoreDeps, systemClock } from '../kernel/deps.ts';
import { createLivekit } from '../streams/livekit.ts';
import { UNREACHABLE_LIVEKIT } from '../testing.ts';
import { cancelGoal, createGoal, listGoals } from './goals.ts';
import { recountGoals } from './goals-recount.ts';
import { ROOM_ECONOMY } from './projections.ts';

/** `bun run dev` without DATABASE_URL: goals, their queue and their projection work on the embedded PGlite too. */
test('goals follow the tips on the embedded database', async () => {
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
  const streamer = await person('goal_streamer', 'streamer');
  const viewer = await person('goal_viewer', 'viewer');
  const [stream] = await handle.db
    .insert(streams)
    .values({
      streamerId: streamer.id,
      title: 'Embedded goals',
      livekitRoom: 'embedded-goals',
      status: 'live',
      startedAt: new Date(),
    })
    .returning();
  await fundWallet(deps, viewer.id, 1_000);
  const first = await createGoal(deps, streamer, { title: 'First', targetTokens: 50 });
  await createGoal(deps, streamer, { title: 'Second', targetTokens: 500 });
  await createGoal(deps, streamer, { title: 'Third', targetTokens: 500 });
  const tip = (amountTokens: number) =>
    sendTip(deps, viewer.id, {
      streamId: stream!.id,
      amountTokens,
      anonymous: false,
      idempotencyKey: crypto.randomUUID(),
    });
  await tip(60);
  await Bun.sleep(2);
  await tip(15);
  await projectUntilCaughtUp(deps, ROOM_ECONOMY);
  let list = await listGoals(deps, viewer, stream!.id);
  expect(list.recent.map((goal) => [goal.id, goal.status, goal.progressTokens])).toEqual([
    [first.id, 'reached', 60],
  ]);
  expect(list.active).toMatchObject({ title: 'Second', progressTokens: 15 });
  await cancelGoal(deps, streamer, list.active!.id);
  list = await listGoals(deps, viewer, stream!.id);
  expect(list.active?.title).toBe('Third');
  const recounted = await recountGoals(handle.db, stream!.id);
  expect(recounted.get(first.id)).toBe(60);
  await handle.close();
}, 60_000);
