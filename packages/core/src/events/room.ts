import type { EventBus } from '../kernel/ports.ts';
import { streamTopic } from './topics.ts';

// Every event of a room's topic (`stream:{id}`): what is published and what a subscriber receives.

/**
 * Who the sender is in the room: its streamer, a moderator of its channel, a platform admin, or platform staff (a
 * platform moderator; lines stored before `admin` existed carry `staff` for admins too).
 */
export type ChatBadge = 'streamer' | 'moderator' | 'admin' | 'staff';

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

export type StreamStateEvent = {
  type: 'stream.state';
  streamId: string;
  status: 'draft' | 'live' | 'ended';
  startedAt: string | null;
  endedAt: string | null;
  reason: string | null;
};

/** Events written to the room's log (`chat_events`): they carry its id and are replayed on resume. */
export type StoredRoomEvent =
  | ChatMessage
  | { type: 'chat.deleted'; streamId: string; messageId: number }
  | { type: 'chat.reaction'; streamId: string; messageId: number; emoji: string; count: number };

/** Events that are not stored: the newest of each type is in the arrival snapshot. */
export type LiveRoomEvent =
  | ChatSettingsEvent
  /** Presence: people with the room open, across every server node. */
  | { type: 'stream.viewers'; streamId: string; count: number }
  | StreamStateEvent
  | { type: 'stream.updated'; streamId: string; title: string; nsfw: boolean; tags: string[] }
  | { type: 'stream.goal'; streamId: string; goal: StreamGoalView | null };

/** Everything `chat.onStream` delivers. */
export type StreamEvent =
  | StoredRoomEvent
  | LiveRoomEvent
  /** The connection fell too far behind to replay: reload the history. */
  | { type: 'chat.reset'; streamId: string };

/** A room event on the bus: the stored ones carry their log id as `eventId`. */
export type RoomBusEvent = (StoredRoomEvent & { eventId: number }) | LiveRoomEvent;

/** Announces a committed change to everyone in the room, on every node. */
export function publishToRoom(bus: EventBus, streamId: string, event: RoomBusEvent): Promise<void> {
  return bus.publish(streamTopic(streamId), event);
}

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
 * The subscriber's view of a `stream:{id}` bus event, or null for events that are not for viewers. Events arrive
 * as JSON from any node, so the fields a viewer gets are picked, and every node serializes the same bytes.
 */
export function toStreamEvent(
  raw: Record<string, unknown>,
): { eventId: number | null; event: StreamEvent } | null {
  if (typeof raw.type !== 'string' || !DELIVERED.has(raw.type)) return null;
  const { eventId, ...rest } = raw;
  if (raw.type === 'stream.state') {
    const { streamId, status, startedAt, endedAt, reason } = rest;
    return {
      eventId: null,
      event: { type: 'stream.state', streamId, status, startedAt, endedAt, reason } as StreamEvent,
    };
  }
  if (raw.type === 'stream.viewers' && typeof rest.count !== 'number') return null;
  if (raw.type === 'stream.updated') {
    const { streamId, title, nsfw, tags } = rest;
    return { eventId: null, event: { type: 'stream.updated', streamId, title, nsfw, tags } as StreamEvent };
  }
  return { eventId: typeof eventId === 'number' ? eventId : null, event: rest as unknown as StreamEvent };
}

/** The room's chat settings as its viewers receive them, from the stream's stored settings. */
export function settingsEvent(
  streamId: string,
  settings: { chatMode?: string; slowModeSeconds?: number; linksAllowed?: boolean },
): ChatSettingsEvent {
  return {
    type: 'chat.settings',
    streamId,
    chatMode: (settings.chatMode ?? 'everyone') as ChatSettingsEvent['chatMode'],
    slowModeSeconds: settings.slowModeSeconds ?? 0,
    linksAllowed: settings.linksAllowed ?? false,
  };
}
