import type { EventBus } from '../kernel/ports.ts';
import { streamTopic } from './topics.ts';

// Every event of a room's topic (`stream:{id}`): what is published and what a subscriber receives.

/**
 * Who the sender is in the room: its streamer, a moderator of its channel, a platform admin, or platform staff (a
 * platform moderator; lines stored before `admin` existed carry `staff` for admins too).
 */
export type ChatBadge = 'streamer' | 'moderator' | 'admin' | 'staff';

/** The seven leagues of levels 1–100 (`gamification/levels.ts` holds the curve). */
export type League = 'grey' | 'bronze' | 'silver' | 'gold' | 'diamond' | 'royal' | 'legend';

export type ChatSender = {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  badges: ChatBadge[];
  /** The sender's level when the line was sent (absent on lines stored before levels existed). */
  level?: number;
  league?: League;
  /** Name colour from the last 14 days' spend: 0 none, 1 ≥ 50, 2 ≥ 250, 3 ≥ 1,000 tokens. */
  spendTier?: 0 | 1 | 2 | 3;
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
  /** `menuItem`: the label of the tip menu item the tip paid for ("X tipped 50 for <item>"). */
  tip: { tipId: number; amountTokens: number; menuItem?: string } | null;
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

/** A goal as viewers see it: the active one moves with each tip; queued ones wait their turn. */
export type GoalView = {
  id: string;
  title: string;
  targetTokens: number;
  progressTokens: number;
  status: 'queued' | 'active' | 'reached' | 'expired' | 'cancelled';
  position: number;
  startedAt: string | null;
  deadlineAt: string | null;
  reachedAt: string | null;
};

/** The room's king: its top tipper of the last 12 hours (anonymous tips never count; hidden users show no name). */
export type KingView = {
  /** Null when the king hides from public boards: the room sees "Anonymous". */
  user: { id: string; username: string; displayName: string; avatarUrl: string | null } | null;
  scoreTokens: number;
  since: string;
};

/** A request from the streamer's tip menu, with the label and price as they were when it was tipped. */
export type MenuRequestView = {
  id: number;
  tipId: number;
  streamId: string;
  label: string;
  priceTokens: number;
  status: 'queued' | 'done';
  /** Null for an anonymous menu tip. */
  from: { id: string; username: string; displayName: string } | null;
  createdAt: string;
  doneAt: string | null;
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
  /** The active goal moved (a tip, a reversal, an edit) or a queued one started; null when none is active. */
  | { type: 'goal.progress'; streamId: string; goal: GoalView | null }
  /** Announced once per goal, when its progress first reaches its target. */
  | { type: 'goal.completed'; streamId: string; goal: GoalView }
  /** The crown changed hands (or lapsed: `king` null). */
  | { type: 'king.changed'; streamId: string; streamerId: string; king: KingView | null }
  /** Someone in the room reached a new level; the room's chat shows it. */
  | {
      type: 'level.up';
      streamId: string;
      user: { id: string; username: string; displayName: string };
      level: number;
      league: League;
    }
  | { type: 'menu.tipped'; streamId: string; request: MenuRequestView }
  | { type: 'menu.done'; streamId: string; request: MenuRequestView };

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
  'goal.progress',
  'goal.completed',
  'king.changed',
  'level.up',
  'menu.tipped',
  'menu.done',
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
