import { type NotificationKind, notificationMutes, notifications } from '@app/db/schema';
import { and, eq, sql } from 'drizzle-orm';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { type NotificationPayload, type NotificationView, notificationView } from './views.ts';

/** `payload` as a jsonb value in SQL; passed as text first so that every driver parses it as an object. */
export const payloadSql = (payload: NotificationPayload) => sql`${JSON.stringify(payload)}::text::jsonb`;

/** The kind is not muted by the user (for use inside a query over candidate recipients). */
export function notMuted(userIdColumn: unknown, kind: NotificationKind) {
  return sql`NOT EXISTS (SELECT 1 FROM ${notificationMutes} WHERE ${notificationMutes.userId} = ${userIdColumn} AND ${notificationMutes.kind} = ${kind})`;
}

/**
 * Stores a notification for one user and tells their open tabs; a muted kind is neither stored nor sent. Called
 * after the change it is about committed; returns null when muted.
 */
export async function notify(
  deps: CoreDeps,
  userId: string,
  kind: NotificationKind,
  payload: NotificationPayload,
): Promise<NotificationView | null> {
  const [muted] = await deps.db
    .select({ kind: notificationMutes.kind })
    .from(notificationMutes)
    .where(and(eq(notificationMutes.userId, userId), eq(notificationMutes.kind, kind)));
  if (muted) return null;
  const [row] = await deps.db
    .insert(notifications)
    .values({ userId, kind, payload, createdAt: deps.clock.now() })
    .returning();
  const view = notificationView(row!);
  await publishToUser(deps.bus, userId, { type: 'notification', notification: view });
  return view;
}
