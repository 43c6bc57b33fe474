import { ANALYTICS_RANGES, sendTipInput, tipAnalytics, tipHistory, tipInRoom } from '@app/core';
import { z } from 'zod';
import { authedProcedure, router, streamerProcedure } from '../trpc.ts';

const pageInput = z.object({
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const tipsRouter = router({
  /** Signed-in users: tip a live stream; the room sees the tip line and the goal move. */
  send: authedProcedure
    .input(sendTipInput)
    .mutation(({ ctx, input }) => tipInRoom(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: tips they sent. */
  sent: authedProcedure
    .input(pageInput)
    .query(({ ctx, input }) => tipHistory(ctx.deps, ctx.user.id, 'sent', input)),

  /** Streamers and admins: tips they received. */
  received: streamerProcedure
    .input(pageInput)
    .query(({ ctx, input }) => tipHistory(ctx.deps, ctx.user.id, 'received', input)),

  /** Streamers and admins: totals per day and week, top tippers, per stream, average tip. */
  analytics: streamerProcedure
    .input(z.object({ range: z.enum(Object.keys(ANALYTICS_RANGES) as ['7d', '30d', '90d']).default('30d') }))
    .query(({ ctx, input }) => tipAnalytics(ctx.deps, ctx.user.id, input.range)),
});
