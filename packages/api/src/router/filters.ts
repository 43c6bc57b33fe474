import { filtersGetInput, filtersUpdateInput, getFilters, updateFilters } from '@app/core';
import { authedProcedure, router } from '../trpc.ts';

export const filtersRouter = router({
  /** Admins: the platform's word list. A stream's streamer (and admins): that room's list. Nobody else. */
  get: authedProcedure
    .input(filtersGetInput)
    .query(({ ctx, input }) => getFilters(ctx.deps, ctx.user, input.scope)),

  /** The same people: replace the list whole (each word blocked or masked); logged in `moderation_logs`. */
  update: authedProcedure
    .input(filtersUpdateInput)
    .mutation(({ ctx, input }) => updateFilters(ctx.deps, ctx.user, input)),
});
