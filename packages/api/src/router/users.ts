import {
  followInput,
  followListInput,
  followUser,
  listFollowers,
  listFollowing,
  searchUsers,
  searchUsersInput,
  unfollowUser,
  updateProfile,
  updateProfileInput,
  userById,
  userByUsername,
  usernameSchema,
  userStreams,
  userStreamsInput,
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

  /** Signed-in users: follow someone (notified when they go live); following twice changes nothing. */
  follow: authedProcedure
    .input(followInput)
    .mutation(({ ctx, input }) => followUser(ctx.deps, ctx.user.id, input)),

  /** Signed-in users. */
  unfollow: authedProcedure
    .input(followInput)
    .mutation(({ ctx, input }) => unfollowUser(ctx.deps, ctx.user.id, input)),

  /** Anyone: who follows the user, newest first. */
  followers: publicProcedure.input(followListInput).query(({ ctx, input }) => listFollowers(ctx.deps, input)),

  /** Anyone: whom the user follows, newest first. */
  following: publicProcedure.input(followListInput).query(({ ctx, input }) => listFollowing(ctx.deps, input)),

  /** Anyone: the user's live and past streams, newest first (their drafts too, for themselves). */
  streams: publicProcedure
    .input(userStreamsInput)
    .query(({ ctx, input }) => userStreams(ctx.deps, ctx.auth?.user ?? null, input)),
});
