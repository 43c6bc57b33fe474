import {
  searchUsers,
  searchUsersInput,
  updateProfile,
  updateProfileInput,
  userById,
  userByUsername,
  usernameSchema,
} from '@app/core';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const usersRouter = router({
  /** Anyone. */
  byId: publicProcedure
    .input(z.object({ id: z.uuid('That is not a user id.') }))
    .query(({ ctx, input }) => userById(ctx.deps, input.id)),

  /** Anyone. */
  byUsername: publicProcedure
    .input(z.object({ username: usernameSchema }))
    .query(({ ctx, input }) => userByUsername(ctx.deps, input.username)),

  /** Signed-in users, their own profile only. */
  updateProfile: authedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.deps, ctx.user.id, input)),

  /** Anyone. */
  search: publicProcedure.input(searchUsersInput).query(({ ctx, input }) => searchUsers(ctx.deps, input)),
});
