import { adminDashboard, listWithdrawals, reviewWithdrawal } from '@app/core';
import { z } from 'zod';
import { adminProcedure, moderatorProcedure, router } from '../trpc.ts';

const withdrawalAction = z.object({
  withdrawalId: z.uuid('That is not a withdrawal id.'),
  note: z.string().trim().max(500, 'Keep the note under 500 characters.').optional(),
});

export const adminRouter = router({
  /** Moderators and admins: platform counts for the admin home page. */
  dashboard: moderatorProcedure.query(({ ctx }) => adminDashboard(ctx.deps)),

  payouts: router({
    /** Admins: withdrawals, newest first, optionally of one status. */
    list: adminProcedure
      .input(
        z.object({
          status: z.enum(['pending', 'approved', 'rejected', 'paid']).optional(),
          cursor: z.iso.datetime().nullish(),
          limit: z.number().int().min(1).max(100).default(50),
        }),
      )
      .query(({ ctx, input }) => listWithdrawals(ctx.deps, input)),
    /** Admins. */
    approve: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) => reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'approve' })),
    /** Admins: the tokens return to the streamer's earnings. */
    reject: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) => reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'reject' })),
    /** Admins: the money was sent. */
    markPaid: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) =>
        reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'markPaid' }),
      ),
  }),
});
