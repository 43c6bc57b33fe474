import { notifications } from '@app/db/schema';
import { and, count, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { checkCursorParts, decodeCursor, encodeCursor } from '../kernel/cursor.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { MarkNotificationsReadInput, NotificationListInput } from './schemas.ts';
import { type NotificationView, notificationView } from './views.ts';

export type NotificationPage = { items: NotificationView[]; nextCursor: string | null; unreadCount: number };

/** The user's notifications, newest first, along notifications_user_id_created_at_idx. */
export async function listNotifications(
  deps: CoreDeps,
  userId: string,
  input: NotificationListInput,
): Promise<NotificationPage> {
  let after: SQL | undefined;
  if (input.cursor) {
    const [createdAt, id] = decodeCursor(input.cursor, ['string', 'number'] as const);
    checkCursorParts({ timestamp: [createdAt] });
    after = sql`(${notifications.createdAt}, ${notifications.id}) < (${createdAt}::timestamptz, ${id})`;
  }
  const rows = await deps.db
    .select({ row: notifications, cursorTime: sql<string>`${notifications.createdAt}::text` })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        input.unreadOnly ? isNull(notifications.readAt) : undefined,
        after,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ row }) => notificationView(row)),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.cursorTime, last.row.id]) : null,
    unreadCount: await unreadNotificationCount(deps, userId),
  };
}

/** How many of the user's notifications are unread (notifications_user_id_unread_idx). */
export async function unreadNotificationCount(deps: CoreDeps, userId: string): Promise<number> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks the named notifications read; ids that are not the user's own, or already read, change nothing. */
export async function markNotificationsRead(
  deps: CoreDeps,
  userId: string,
  input: MarkNotificationsReadInput,
): Promise<{ marked: number; unreadCount: number }> {
  const marked = await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(
      and(
        eq(notifications.userId, userId),
        inArray(notifications.id, input.ids),
        isNull(notifications.readAt),
      ),
    )
    .returning({ id: notifications.id });
  return { marked: marked.length, unreadCount: await unreadNotificationCount(deps, userId) };
}

/** Marks every unread notification of the user read. */
export async function markAllNotificationsRead(
  deps: CoreDeps,
  userId: string,
): Promise<{ marked: number; unreadCount: number }> {
  const marked = await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: marked.length, unreadCount: 0 };
}

/** Reading a whisper thread also reads the whisper notifications it raised. */
export async function markWhisperNotificationsRead(
  deps: CoreDeps,
  userId: string,
  fromUserId: string,
): Promise<number> {
  const marked = await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        eq(notifications.kind, 'whisper'),
        sql`${notifications.payload}->>'fromUserId' = ${fromUserId}`,
      ),
    )
    .returning({ id: notifications.id });
  return marked.length;
}
