import { NOTIFICATION_KINDS } from '@app/db/schema';
import { z } from 'zod';

export const NOTIFICATION_LIMITS = {
  pageMax: 50,
  pageDefault: 20,
  cursorMax: 200,
  /** Ids one "mark read" call may name. */
  markMax: 100,
} as const;

export const notificationListInput = z
  .object({
    cursor: z.string().max(NOTIFICATION_LIMITS.cursorMax, 'That page cursor is not valid.').nullish(),
    limit: z
      .number()
      .int()
      .min(1, 'Ask for at least one notification.')
      .max(
        NOTIFICATION_LIMITS.pageMax,
        `One page holds at most ${NOTIFICATION_LIMITS.pageMax} notifications.`,
      )
      .default(NOTIFICATION_LIMITS.pageDefault),
    unreadOnly: z.boolean().default(false),
  })
  .strict();
export type NotificationListInput = z.infer<typeof notificationListInput>;

const notificationId = z
  .number('That is not a notification id.')
  .int()
  .positive('That is not a notification id.');

export const markNotificationsReadInput = z
  .object({
    ids: z
      .array(notificationId)
      .min(1, 'Say which notifications to mark as read.')
      .max(NOTIFICATION_LIMITS.markMax, `Mark at most ${NOTIFICATION_LIMITS.markMax} notifications at once.`),
  })
  .strict();
export type MarkNotificationsReadInput = z.infer<typeof markNotificationsReadInput>;

export const notificationKindSchema = z.enum(NOTIFICATION_KINDS, {
  error: `A notification kind is one of: ${NOTIFICATION_KINDS.join(', ')}.`,
});

export const notificationPreferencesInput = z
  .object({
    muted: z.array(notificationKindSchema).max(NOTIFICATION_KINDS.length, 'Each kind can be muted once.'),
  })
  .strict();
export type NotificationPreferencesInput = z.infer<typeof notificationPreferencesInput>;
