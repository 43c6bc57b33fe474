import { getLimits, setLimits, setLimitsInput } from '@app/core';
import { authedProcedure, router } from '../trpc.ts';

export const limitsRouter = router({
  /** Signed-in users: their spending limits, what is pending, and what they spent today and this week. */
  get: authedProcedure.query(({ ctx }) => getLimits(ctx.deps, ctx.user.id)),

  /** Signed-in users: set their daily and weekly limits (lower at once, higher after 24 hours). */
  set: authedProcedure
    .input(setLimitsInput)
    .mutation(({ ctx, input }) => setLimits(ctx.deps, ctx.user.id, input)),
});
