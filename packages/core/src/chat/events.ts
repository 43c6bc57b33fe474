import type { BusEvent } from '../kernel/ports.ts';

export type ChatBadge = 'streamer' | 'moderator' | 'staff';

export type ChatSender = {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  badges: ChatBadge[];
};

/** A chat line or a tip, as every viewer of the room receives it. */
export type ChatMessage = {
  type: 'chat.message';
  id: number;
  streamId: string;
  kind: 'chat' | 'tip';
  /** Exactly as written; clients render it as text. */
  text: string;
  /** Null for an anonymous tip. */
  sender: ChatSender | null;
  tip: { tipId: number; amountTokens: number } | null;
  createdAt: string;
  /** Emoji → count; only in history and replays (live reactions arrive as `chat.reaction`). */
  reactions?: Record<string, number>;
};

export type ChatSettingsEvent = {
  type: 'chat.settings';
  streamId: string;
  chatMode: 'everyone' | 'followers' | 'verified';
  slowModeSeconds: number;
  linksAllowed: boolean;
};

export type StreamGoalView = {
  id: string;
  title: string;
  targetTokens: number;
  progressTokens: number;
  reachedAt: string | null;
};

/** Everything `chat.onStream` delivers. Events with an `eventId` are stored and replayed on resume. */
export type StreamEvent =
  | ChatMessage
  | { type: 'chat.deleted'; streamId: string; messageId: number }
  | { type: 'chat.reaction'; streamId: string; messageId: number; emoji: string; count: number }
  | ChatSettingsEvent
  | { type: 'stream.viewers'; streamId: string; count: number }
  | {
      type: 'stream.state';
      streamId: string;
      status: 'draft' | 'live' | 'ended';
      startedAt: string | null;
      endedAt: string | null;
      reason: string | null;
    }
  | { type: 'stream.updated'; streamId: string; title: string; nsfw: boolean; tags: string[] }
  | { type: 'stream.goal'; streamId: string; goal: StreamGoalView | null }
  /** The connection fell too far behind to replay: reload the history. */
  | { type: 'chat.reset'; streamId: string };

/** A room event on the bus: the stored ones carry their log id as `eventId`. */
export type RoomBusEvent = BusEvent & { eventId?: number };

const DELIVERED = new Set<string>([
  'chat.message',
  'chat.deleted',
  'chat.reaction',
  'chat.settings',
  'stream.viewers',
  'stream.state',
  'stream.updated',
  'stream.goal',
]);

/**
 * The subscriber's view of a `stream:{id}` bus event, or null for events that are not for viewers. Strips the
 * bus-only fields so that every node serializes the same bytes.
 */
export function toStreamEvent(event: RoomBusEvent): { eventId: number | null; event: StreamEvent } | null {
  if (!DELIVERED.has(event.type)) return null;
  const { eventId, ...rest } = event;
  if (event.type === 'stream.state') {
    const { streamId, status, startedAt, endedAt, reason } = rest as Record<string, unknown>;
    return {
      eventId: null,
      event: { type: 'stream.state', streamId, status, startedAt, endedAt, reason } as StreamEvent,
    };
  }
  if (event.type === 'stream.viewers' && typeof rest.count !== 'number') return null;
  if (event.type === 'stream.updated') {
    const { streamId, title, nsfw, tags } = rest as Record<string, unknown>;
    return { eventId: null, event: { type: 'stream.updated', streamId, title, nsfw, tags } as StreamEvent };
  }
  return { eventId: typeof eventId === 'number' ? eventId : null, event: rest as unknown as StreamEvent };
}

/** Events on `user:{id}` that `chat.onUser` delivers. */
export type UserEvent =
  | { type: 'whisper'; message: WhisperView }
  /** `readerId` read the whispers `senderId` sent them. */
  | { type: 'whisper.read'; readerId: string; senderId: string; readAt: string }
  | { type: 'notification'; kind: string; [key: string]: unknown }
  | { type: 'balance.changed'; walletBalance?: number | null }
  | { type: 'earnings.changed'; amountTokens: number }
  | { type: 'chat.restricted'; channelId: string; streamId: string; until: string | null; reason: string };

export type WhisperView = {
  id: number;
  fromUserId: string;
  toUserId: string;
  text: string;
  createdAt: string;
  readAt: string | null;
  from: { id: string; username: string; displayName: string; avatarUrl: string | null };
};

const USER_DELIVERED = new Set([
  'whisper',
  'whisper.read',
  'notification',
  'balance.changed',
  'earnings.changed',
  'chat.restricted',
]);

export function toUserEvent(event: BusEvent): UserEvent | null {
  return USER_DELIVERED.has(event.type) ? (event as unknown as UserEvent) : null;
}
