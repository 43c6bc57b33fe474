import { NOTIFICATION_KINDS, type NotificationKind, notificationMutes } from '@app/db/schema';
import { and, eq, notInArray } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import type { NotificationPreferencesInput } from './schemas.ts';

/** What each kind is called in settings. */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  'stream.live': 'A channel you follow goes live',
  whisper: 'A whisper arrives while you are away',
  payout: 'A decision on your withdrawal',
  moderation: 'A moderator times you out or bans you from a channel',
};

export type NotificationPreferences = {
  kinds: { kind: NotificationKind; label: string; muted: boolean }[];
};

export async function notificationPreferences(
  deps: CoreDeps,
  userId: string,
): Promise<NotificationPreferences> {
  const rows = await deps.db
    .select({ kind: notificationMutes.kind })
    .from(notificationMutes)
    .where(eq(notificationMutes.userId, userId));
  const muted = new Set(rows.map((row) => row.kind));
  return {
    kinds: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      label: NOTIFICATION_KIND_LABELS[kind],
      muted: muted.has(kind),
    })),
  };
}

/** Replaces the user's muted kinds with `input.muted`: those kinds are no longer stored or delivered to them. */
export async function setNotificationPreferences(
  deps: CoreDeps,
  userId: string,
  input: NotificationPreferencesInput,
): Promise<NotificationPreferences> {
  const muted = [...new Set(input.muted)];
  await deps.db.transaction(async (tx) => {
    await tx
      .delete(notificationMutes)
      .where(
        and(
          eq(notificationMutes.userId, userId),
          muted.length > 0 ? notInArray(notificationMutes.kind, muted) : undefined,
        ),
      );
    if (muted.length > 0) {
      await tx
        .insert(notificationMutes)
        .values(muted.map((kind) => ({ userId, kind, createdAt: deps.clock.now() })))
        .onConflictDoNothing();
    }
  });
  return notificationPreferences(deps, userId);
}
