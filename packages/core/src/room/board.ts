import type { BoardView } from '../gamification/boards/read.ts';
import { readLeaderboard } from '../gamification/boards/read.ts';
import type { LeaderboardInput } from '../gamification/boards/scope.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { readableStream } from './access.ts';

/**
 * A board as the caller may see it: one stream's board (its tippers) only for who may watch that stream (an adult
 * stream's board is no more public than the stream; a banned streamer's is gone with it), every other board as is.
 */
export async function leaderboardFor(
  deps: CoreDeps,
  viewer: Viewer,
  input: LeaderboardInput,
): Promise<BoardView> {
  // The board first: it words what is wrong with the input (no such stream, a streamers board of one stream).
  const board = await readLeaderboard(deps, viewer?.id ?? null, input);
  if (input.scope.kind === 'stream' && input.scope.id) await readableStream(deps, viewer, input.scope.id);
  return board;
}
