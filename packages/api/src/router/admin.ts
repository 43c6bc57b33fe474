import { adminDashboard } from '@app/core';
import { moderatorProcedure, router } from '../trpc.ts';

export const adminRouter = router({
  /** Moderators and admins: platform counts for the admin home page. */
  dashboard: moderatorProcedure.query(({ ctx }) => adminDashboard(ctx.deps)),
});
