import { boardsArchive } from '../gamification/boards/archive.ts';
import { boardsProjection } from '../gamification/boards/projection.ts';
import type { Projection } from '../gamification/projector.ts';
import { XP_PROJECTION } from '../gamification/xp.ts';
import { GOAL_PROGRESS } from './goals-projection.ts';

/**
 * The room economy's projections of the ledger, in the order each pass applies them: what the projector runs
 * (`startProjector` in the server, `projectUntilCaughtUp` in tests).
 */
export const ROOM_ECONOMY: readonly Projection[] = [
  XP_PROJECTION,
  GOAL_PROGRESS,
  boardsProjection,
  boardsArchive,
];
