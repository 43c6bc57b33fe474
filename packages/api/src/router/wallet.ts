import { walletBalance } from '@app/core';
import { authedProcedure, router } from '../trpc.ts';

export const walletRouter = router({
  /** Signed-in users: spendable tokens, earnings, any debt, frozen state, and the payout terms. */
  balance: authedProcedure.query(({ ctx }) => walletBalance(ctx.deps, ctx.user.id)),
});
