import { idempotencyKeySchema, listOwnWithdrawals, requestWithdrawal } from '@app/core';
import { z } from 'zod';
import { router, streamerProcedure } from '../trpc.ts';

export const payoutsRouter = router({
  /** Streamers and admins: withdraw earnings (the minimum and payout rate are the server's settings). */
  request: streamerProcedure
    .input(
      z.object({
        amountTokens: z
          .number('Enter how many tokens to withdraw.')
          .int('Withdraw whole tokens.')
          .positive('Withdraw at least 1 token.'),
        idempotencyKey: idempotencyKeySchema,
      }),
    )
    .mutation(({ ctx, input }) => requestWithdrawal(ctx.deps, ctx.user.id, input)),

  /** Streamers and admins: their own withdrawals, newest first (a held one without its reason). */
  list: streamerProcedure
    .input(
      z.object({ cursor: z.iso.datetime().nullish(), limit: z.number().int().min(1).max(100).default(25) }),
    )
    .query(({ ctx, input }) => listOwnWithdrawals(ctx.deps, ctx.user.id, input)),
});
