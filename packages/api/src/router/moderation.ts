import {
  addChannelModerator,
  banFromChannel,
  channelModeratorList,
  chatModeInput,
  deleteChatMessage,
  deleteMessageInput,
  moderationLog,
  moderationLogInput,
  removeChannelModerator,
  roomBanInput,
  roomUnbanInput,
  setChatMode,
  timeoutInput,
  timeoutUser,
  unbanFromChannel,
} from '@app/core';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

const moderatorChange = z.object({
  userId: z.uuid('That is not a user id.'),
  /** Admins only: another streamer's channel. */
  channelId: z.uuid('That is not a channel id.').optional(),
});

/**
 * Room moderation. Every procedure is for signed-in users and checks, per room, that the caller is its streamer,
 * one of its channel's moderators, or platform staff (admins and moderators); everyone else gets FORBIDDEN.
 */
export const moderationRouter = router({
  deleteMessage: authedProcedure
    .input(deleteMessageInput)
    .mutation(({ ctx, input }) => deleteChatMessage(ctx.deps, ctx.user, input)),

  /** 1 second to 14 days, with a reason. */
  timeout: authedProcedure
    .input(timeoutInput)
    .mutation(({ ctx, input }) => timeoutUser(ctx.deps, ctx.user, input)),

  ban: authedProcedure
    .input(roomBanInput)
    .mutation(({ ctx, input }) => banFromChannel(ctx.deps, ctx.user, input)),

  unban: authedProcedure
    .input(roomUnbanInput)
    .mutation(({ ctx, input }) => unbanFromChannel(ctx.deps, ctx.user, input)),

  /** Who may chat (everyone, followers, verified), slow mode seconds, clickable links. */
  setChatMode: authedProcedure
    .input(chatModeInput)
    .mutation(({ ctx, input }) => setChatMode(ctx.deps, ctx.user, input)),

  /** Streamers for their own channel; admins for any channel. */
  addModerator: authedProcedure
    .input(moderatorChange)
    .mutation(({ ctx, input }) => addChannelModerator(ctx.deps, ctx.user, input)),

  removeModerator: authedProcedure
    .input(moderatorChange)
    .mutation(({ ctx, input }) => removeChannelModerator(ctx.deps, ctx.user, input)),

  /** Anyone: who moderates a channel. */
  moderators: publicProcedure
    .input(z.object({ channelId: z.uuid('That is not a channel id.') }))
    .query(({ ctx, input }) => channelModeratorList(ctx.deps, input.channelId)),

  /** A channel's streamer and moderators: its log; staff: every channel's. */
  log: authedProcedure
    .input(moderationLogInput)
    .query(({ ctx, input }) => moderationLog(ctx.deps, ctx.user, input)),
});
