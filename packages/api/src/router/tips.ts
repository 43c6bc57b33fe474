import { ANALYTICS_RANGES, sendTipInput, tipAnalytics, tipHistory, tipInRoom } from '@app/core';
import { z } from 'zod';
import { idCursor, pageInput } from '../paging.ts';
import { authedProcedure, router, streamerProcedure } from '../trpc.ts';

export const tipsRouter = router({
  /** Signed-in users: tip a live stream; the room sees the tip line and the goal move. */
  send: authedProcedure
    .input(sendTipInput)
    .mutation(({ ctx, input }) => tipInRoom(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: tips they sent. */
  sent: authedProcedure
    .input(pageInput(idCursor))
    .query(({ ctx, input }) => tipHistory(ctx.deps, ctx.user.id, 'sent', input)),

  /** Streamers and admins: tips they received. */
  received: streamerProcedure
    .input(pageInput(idCursor))
    .query(({ ctx, input }) => tipHistory(ctx.deps, ctx.user.id, 'received', input)),

  /** Streamers and admins: totals per day and week, top tippers, per stream, average tip. */
  analytics: streamerProcedure
    .input(z.object({ range: z.enum(Object.keys(ANALYTICS_RANGES) as ['7d', '30d', '90d']).default('30d') }))
    .query(({ ctx, input }) => tipAnalytics(ctx.deps, ctx.user.id, input.range)),
});
