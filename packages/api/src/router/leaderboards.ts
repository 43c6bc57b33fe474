import {
  boardVisibility,
  boardVisibilityInput,
  leaderboardFor,
  leaderboardInput,
  setBoardVisibility,
} from '@app/core';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const leaderboardsRouter = router({
  /**
   * Anyone (one stream's board: whoever may watch that stream): a board's top, and for a signed-in caller their
   * own rank and the tokens to pass the next person.
   */
  get: publicProcedure
    // A stream's board is as public as the stream: it changes with the stream too.
    .meta({ sharedWithVisitors: ['boards', 'streams'] })
    .input(leaderboardInput)
    .query(({ ctx, input }) => leaderboardFor(ctx.deps, ctx.auth?.user ?? null, input)),

  /** Signed-in users: whether they hide from public boards now. */
  visibility: authedProcedure.query(({ ctx }) => boardVisibility(ctx.deps, ctx.user.id)),

  /** Signed-in users: hide from public boards (shown as "Anonymous", still counted) or show again. */
  setVisibility: authedProcedure
    .input(boardVisibilityInput)
    .mutation(({ ctx, input }) => setBoardVisibility(ctx.deps, ctx.user.id, input.hidden)),
});
