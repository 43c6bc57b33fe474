import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationsRead,
  markNotificationsReadInput,
  notificationListInput,
  notificationPreferences,
  notificationPreferencesInput,
  setNotificationPreferences,
  unreadNotificationCount,
} from '@app/core';
import { authedProcedure, router } from '../trpc.ts';

// Every procedure acts on the caller's own notifications only: no input names a user.
export const notificationsRouter = router({
  /** Signed-in users: their notifications, newest first (`unreadOnly` for the unread ones), with the unread count. */
  list: authedProcedure
    .input(notificationListInput)
    .query(({ ctx, input }) => listNotifications(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: how many of their notifications are unread (the bell's badge). */
  unreadCount: authedProcedure.query(async ({ ctx }) => ({
    unreadCount: await unreadNotificationCount(ctx.deps, ctx.user.id),
  })),

  /** Signed-in users: marks some of their own notifications read (others' ids change nothing). */
  markRead: authedProcedure
    .input(markNotificationsReadInput)
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: marks all their notifications read. */
  markAllRead: authedProcedure.mutation(({ ctx }) => markAllNotificationsRead(ctx.deps, ctx.user.id)),

  /** Signed-in users: every kind, its label and whether they muted it. */
  preferences: authedProcedure.query(({ ctx }) => notificationPreferences(ctx.deps, ctx.user.id)),

  /** Signed-in users: the kinds they mute (the whole list; muted kinds are neither stored nor sent to them). */
  setPreferences: authedProcedure
    .input(notificationPreferencesInput)
    .mutation(({ ctx, input }) => setNotificationPreferences(ctx.deps, ctx.user.id, input)),
});
