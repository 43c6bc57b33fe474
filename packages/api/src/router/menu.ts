import {
  listMenu,
  markMenuDone,
  menuListInput,
  menuMarkDoneInput,
  menuQueue,
  menuQueueInput,
  menuReorderInput,
  menuTipInput,
  menuUpsertInput,
  removeMenuItem,
  reorderMenu,
  tipMenuItem,
  upsertMenuItem,
} from '@app/core';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router, streamerProcedure } from '../trpc.ts';

export const menuRouter = router({
  /** Anyone: a streamer's tip menu (by streamer or by one of their streams), in its order. */
  list: publicProcedure.input(menuListInput).query(({ ctx, input }) => listMenu(ctx.deps, input)),

  /** Streamers and admins: add an item to their own menu, or edit one of theirs. */
  upsert: streamerProcedure
    .input(menuUpsertInput)
    .mutation(({ ctx, input }) => upsertMenuItem(ctx.deps, ctx.user.id, input)),

  /** Streamers and admins: remove one of their items (past requests keep it). */
  remove: streamerProcedure
    .input(z.strictObject({ id: z.uuid('That is not a menu item id.') }))
    .mutation(({ ctx, input }) => removeMenuItem(ctx.deps, ctx.user.id, input.id)),

  /** Streamers and admins: their items in a new order. */
  reorder: streamerProcedure
    .input(menuReorderInput)
    .mutation(({ ctx, input }) => reorderMenu(ctx.deps, ctx.user.id, input.ids)),

  /** Signed-in users: tip a menu item's price to its streamer's live stream. */
  tip: authedProcedure
    .input(menuTipInput)
    .mutation(({ ctx, input }) => tipMenuItem(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: the streamer's request queue, or a viewer's own requests in a stream. */
  queue: authedProcedure
    .input(menuQueueInput)
    .query(({ ctx, input }) => menuQueue(ctx.deps, ctx.user.id, input)),

  /** Streamers and admins: mark one of their requests done. */
  markDone: streamerProcedure
    .input(menuMarkDoneInput)
    .mutation(({ ctx, input }) => markMenuDone(ctx.deps, ctx.user.id, input.requestId)),
});
