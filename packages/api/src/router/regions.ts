import { listRegions, regionStats, regionTree } from '@app/core';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.ts';

export const regionsRouter = router({
  /** Anyone: continents › countries › cities. */
  tree: publicProcedure.meta({ sharedWithVisitors: [] }).query(({ ctx }) => regionTree(ctx.deps)),

  /** Anyone: one level, by parent and/or kind. */
  list: publicProcedure
    .meta({ sharedWithVisitors: [] })
    .input(
      z
        .object({
          parentId: z.number().int().positive().nullable().optional(),
          kind: z.enum(['continent', 'country', 'city']).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listRegions(ctx.deps, input)),

  /** Anyone: live streams and viewers per region, rolled up city › country › continent. */
  stats: publicProcedure
    .meta({ sharedWithVisitors: ['streams'] })
    .query(({ ctx }) => regionStats(ctx.deps, { includeNsfw: Boolean(ctx.auth?.user.ageVerifiedAt) })),
});
