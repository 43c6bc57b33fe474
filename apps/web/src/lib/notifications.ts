import type { RouterOutputs } from '@app/api';
import { formatDateTime } from './format.ts';

export type NotificationView = RouterOutputs['notifications']['list']['items'][number];
export type NotificationPage = RouterOutputs['notifications']['list'];
export type NotificationPreferences = RouterOutputs['notifications']['preferences'];

/** Notifications the bell's dropdown shows. */
export const BELL_LATEST = 6;
/** Notifications per page of /notifications. */
export const NOTIFICATIONS_PAGE = 20;

/** The notification's second line: its body, plus how long a timeout lasts in the reader's own time. */
export function notificationDetail(notification: NotificationView): string {
  const until = notification.payload.until;
  return notification.kind === 'moderation' && typeof until === 'string'
    ? `${notification.payload.body} Until ${formatDateTime(until)}.`
    : notification.payload.body;
}

/** Where a click goes: the payload's link when it is a path of this site, else the notifications page. */
export function notificationHref(notification: NotificationView): string {
  const link = notification.payload.link;
  return link.startsWith('/') && !link.startsWith('//') ? link : '/notifications';
}

/** What /notifications depends on: re-run when a notification arrives or is read elsewhere. */
export const NOTIFICATIONS_DEPENDENCY = 'app:notifications';
