import type { Notification, NotificationKind } from '@app/db/schema';
import type { NotificationEventView } from '../events/user.ts';

/** Someone a notification names (a streamer who went live, a whisperer, a moderator's channel). */
export type NotificationPerson = {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
};

/** What every notification shows: a headline, a line of detail, and where a click goes (a path of the web app). */
export type NotificationPayload = {
  title: string;
  body: string;
  link: string;
  [key: string]: unknown;
};

/** A stored notification as the bell, the page and the `notification` event show it. */
export type NotificationView = NotificationEventView & {
  kind: NotificationKind;
  payload: NotificationPayload;
};

export function notificationView(row: Notification): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload as NotificationPayload,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
