import {
  cancelGoal,
  createGoal,
  createGoalInput,
  goalIdInput,
  listGoals,
  listGoalsInput,
  reorderGoals,
  reorderGoalsInput,
  updateGoal,
  updateGoalInput,
} from '@app/core';
import { publicProcedure, router, streamerProcedure } from '../trpc.ts';

export const goalsRouter = router({
  /** Streamers: a goal on their current stream (starts at once, or waits in the queue). */
  create: streamerProcedure
    .input(createGoalInput)
    .mutation(({ ctx, input }) => createGoal(ctx.deps, ctx.user, input)),

  /** The stream's own streamer: edits a goal that has not ended (a target at or below progress completes it). */
  update: streamerProcedure
    .input(updateGoalInput)
    .mutation(({ ctx, input }) => updateGoal(ctx.deps, ctx.user, input)),

  /** The stream's own streamer: cancels a goal (the active one hands over to the next queued). */
  cancel: streamerProcedure
    .input(goalIdInput)
    .mutation(({ ctx, input }) => cancelGoal(ctx.deps, ctx.user, input.goalId)),

  /** The stream's own streamer: the queued goals in the order they should start. */
  reorder: streamerProcedure
    .input(reorderGoalsInput)
    .mutation(({ ctx, input }) => reorderGoals(ctx.deps, ctx.user, input)),

  /** Anyone who may see the stream: the active goal, the queue and the recently ended goals. */
  list: publicProcedure
    .input(listGoalsInput)
    .query(({ ctx, input }) => listGoals(ctx.deps, ctx.auth?.user ?? null, input.streamId)),
});
