import { listCategories } from '@app/core';
import { publicProcedure, router } from '../trpc.ts';

export const categoriesRouter = router({
  /** Anyone: every category with its live stream count. */
  list: publicProcedure
    .meta({ sharedWithVisitors: ['streams'] })
    .query(({ ctx }) => listCategories(ctx.deps)),
});
