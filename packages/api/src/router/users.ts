import {
  followedChannels,
  followedChannelsInput,
  followInput,
  followListInput,
  followUser,
  isFollowing,
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
  /** Anyone; `followedByMe` tells a signed-in caller whether they follow this user. */
  byId: publicProcedure
    .input(z.object({ id: z.uuid('That is not a user id.') }))
    .query(async ({ ctx, input }) => {
      const user = await userById(ctx.deps, input.id);
      return { ...user, followedByMe: await isFollowing(ctx.deps, ctx.auth?.user.id ?? null, user.id) };
    }),

  /** Anyone; `followedByMe` as for `byId`. */
  byUsername: publicProcedure.input(z.object({ username: usernameSchema })).query(async ({ ctx, input }) => {
    const user = await userByUsername(ctx.deps, input.username);
    return { ...user, followedByMe: await isFollowing(ctx.deps, ctx.auth?.user.id ?? null, user.id) };
  }),

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

  /** Signed-in users: the channels they follow, live ones first with their stream, then the rest (paged). */
  followedChannels: authedProcedure
    .input(followedChannelsInput)
    .query(({ ctx, input }) => followedChannels(ctx.deps, ctx.user, input)),

  /** Anyone: the user's live and past streams, newest first (their drafts too, for themselves). */
  streams: publicProcedure
    .input(userStreamsInput)
    .query(({ ctx, input }) => userStreams(ctx.deps, ctx.auth?.user ?? null, input)),
});
