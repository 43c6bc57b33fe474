import { levelsByUsername, levelTable, myLevels, usernameSchema } from '@app/core';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const levelsRouter = router({
  /** Signed-in users: their viewer level, league, XP and progress, their streamer level if they stream, spend tier. */
  me: authedProcedure.query(({ ctx }) => myLevels(ctx.deps, ctx.user.id)),

  /** Anyone: someone's level, league and progress (no XP figures: 1 XP per token would tell what they spent). */
  byUser: publicProcedure
    .input(z.object({ username: usernameSchema }))
    .query(({ ctx, input }) => levelsByUsername(ctx.deps, input.username)),

  /** Anyone: the leagues, the XP of every level, the activity caps and the spend tiers. */
  table: publicProcedure.query(() => levelTable()),
});
