import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createDatabase, type DatabaseHandle, migrateDatabase } from '@app/db/client';
import type { CoreDeps } from '../../kernel/deps.ts';
import { createTestDeps, type TestDeps } from '../../testing.ts';
import { storedKing } from '../kings.ts';
import { projectUntilCaughtUp } from '../projector.ts';
import { boardWorld } from './fixture.ts';
import { boardsProjection } from './projection.ts';
import { readLeaderboard } from './read.ts';
import { rebuildBoards } from './rebuild.ts';

// `bun run dev` without DATABASE_URL or Redis runs on the embedded PGlite: the boards, ranks and crowns work there.

/** A fresh PGlite takes seconds to start and migrate, more on a loaded machine than a hook's default allows. */
const PGLITE_START_TIMEOUT_MS = 90_000;

let handle: DatabaseHandle;
let base: TestDeps;
let deps: CoreDeps;

beforeAll(async () => {
  handle = await createDatabase({});
  await migrateDatabase(handle);
  base = await createTestDeps();
  // No read cache: the read after the rebuild must come from the rebuilt rollup.
  deps = { ...base, db: handle.db, redis: null, reads: null };
}, PGLITE_START_TIMEOUT_MS);
afterAll(async () => {
  await handle?.close();
  await base?.database.drop();
});

test('on PGlite the rollup keeps the boards and the king, and rebuilds to the same', async () => {
  const world = await boardWorld(deps, { streamers: 2, tippers: 3, tokensEach: 500 });
  const [a, b, c] = world.tippers;
  const [room] = world.streamers;
  await world.tip(a!.id, room!.streamId, 20);
  await world.tip(b!.id, room!.streamId, 30);
  await world.tip(c!.id, room!.streamId, 90, true);
  await projectUntilCaughtUp(deps, [boardsProjection]);
  const input = {
    board: 'tippers',
    scope: { kind: 'stream', id: room!.streamId },
    period: 'day',
    limit: 10,
  } as const;
  const board = await readLeaderboard(deps, a!.id, input);
  expect(board.entries.map((entry) => [entry.user?.id, entry.score])).toEqual([
    [b!.id, 30],
    [a!.id, 20],
  ]);
  expect(board.me).toEqual({ rank: 2, score: 20, toPass: 11 });
  const streamers = await readLeaderboard(deps, null, {
    ...input,
    board: 'streamers',
    scope: { kind: 'global' },
  });
  expect(streamers.entries[0]?.score).toBe(140);
  expect((await storedKing(deps.db, room!.id))?.user?.id).toBe(b!.id);
  await rebuildBoards(deps);
  expect(await readLeaderboard(deps, a!.id, input)).toEqual(board);
}, 60_000);
