import type { EventBus } from '../kernel/ports.ts';
import type { League } from './room.ts';
import { userTopic } from './topics.ts';

// Every event of a user's topic (`user:{id}`): what is published and what `chat.onUser` delivers.

export type WhisperView = {
  id: number;
  fromUserId: string;
  toUserId: string;
  text: string;
  createdAt: string;
  readAt: string | null;
  from: { id: string; username: string; displayName: string; avatarUrl: string | null };
};

/** A stored notification as its event carries it (`NotificationView` of `notifications/`). */
export type NotificationEventView = {
  id: number;
  kind: 'stream.live' | 'whisper' | 'payout' | 'moderation';
  payload: { title: string; body: string; link: string; [key: string]: unknown };
  createdAt: string;
  readAt: string | null;
};

/** Events on `user:{id}` that `chat.onUser` delivers. */
export type UserEvent =
  | { type: 'whisper'; message: WhisperView }
  /** `readerId` read the whispers `senderId` sent them. */
  | { type: 'whisper.read'; readerId: string; senderId: string; readAt: string }
  /** A notification was stored for the user (the bell's count goes up; see `notifications.list`). */
  | { type: 'notification'; notification: NotificationEventView }
  | { type: 'balance.changed'; walletBalance?: number | null; reason?: string }
  /** `amountTokens` is negative when tips were reversed (`reason: 'tip_reversal'`). */
  | { type: 'earnings.changed'; tipId?: number; amountTokens: number; reason?: string }
  | { type: 'chat.restricted'; channelId: string; streamId: string; until: string | null; reason: string }
  /** The user (as a viewer, or as a streamer) reached a new level: celebrate it on their open pages. */
  | { type: 'level.up'; track: 'viewer' | 'streamer'; level: number; league: League; xp: number }
  /** Their menu request was done by the streamer. */
  | { type: 'menu.done'; requestId: number; streamId: string; label: string };

/** Events for the server only: they end the user's sockets, or are not shown yet. */
export type UserServerEvent =
  /** These sessions were deleted (logout, password change, sign out everywhere, ban): close their sockets. */
  | { type: 'session.ended'; sessionIds: string[]; reason: string }
  | { type: 'withdrawal.changed'; withdrawalId: string; status: string };

export type UserBusEvent = UserEvent | UserServerEvent;

/** Tells one user, on every node, about a committed change. */
export function publishToUser(bus: EventBus, userId: string, event: UserBusEvent): Promise<void> {
  return bus.publish(userTopic(userId), event);
}

const USER_DELIVERED = new Set([
  'whisper',
  'whisper.read',
  'notification',
  'balance.changed',
  'earnings.changed',
  'chat.restricted',
  'level.up',
  'menu.done',
]);

/** The subscriber's view of a `user:{id}` bus event, or null for events that are not delivered. */
export function toUserEvent(event: Record<string, unknown>): UserEvent | null {
  return typeof event.type === 'string' && USER_DELIVERED.has(event.type)
    ? (event as unknown as UserEvent)
    : null;
}
