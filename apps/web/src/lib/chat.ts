import type { RouterOutputs } from '@app/api';
import {
  type ApiClient,
  CHAT_LIMITS,
  CHAT_REACTIONS,
  formatDuration,
  type RefusalReason,
} from '@app/api/client';

export type ChatHistory = RouterOutputs['chat']['history'];
export type ChatMessage = ChatHistory['items'][number];
export type ChatSender = NonNullable<ChatMessage['sender']>;
export type ChatSettings = ChatHistory['settings'];
export type ChatMode = ChatSettings['chatMode'];

/** What a subscription's `onData` receives (the last overload of `subscribe` returns an iterator of it). */
type SubscriptionData<Subscribe extends (...args: never[]) => unknown> =
  ReturnType<Subscribe> extends AsyncIterableIterator<infer Value> ? Value : never;

/** One item of `chat.onStream`: a batch of events, in order, and the id a reconnect resumes after. */
export type StreamFeedItem = SubscriptionData<ApiClient['chat']['onStream']['subscribe']>;
type StreamFeedData = StreamFeedItem['data'];
export type StreamEvent = StreamFeedData extends readonly (infer Event)[] ? Event : StreamFeedData;
/** A goal as the room sees it (`goal.progress`, `goal.completed`). */
export type StreamGoal = NonNullable<Extract<StreamEvent, { type: 'goal.progress' }>['goal']>;
export type StreamStateEvent = Extract<StreamEvent, { type: 'stream.state' }>;
/** What `chat.onUser` delivers. */
export type UserEvent = SubscriptionData<ApiClient['chat']['onUser']['subscribe']>;
export type WhisperView = Extract<UserEvent, { type: 'whisper' }>['message'];
export type Conversation = RouterOutputs['chat']['conversations']['items'][number];

/** Messages loaded when the chat opens and per "Load older": as many as the API gives at once. */
export const CHAT_PAGE_SIZE = CHAT_LIMITS.historyMax;
/** Live messages kept in the list; older ones are dropped and can be loaded again with "Load older". */
export const CHAT_LIVE_MAX = 300;
/** Whispers per page of a conversation (at most `CHAT_LIMITS.historyMax`). */
export const WHISPER_PAGE_SIZE = 50;

export const TIMEOUT_PRESETS = [
  { seconds: 60, label: '1 min' },
  { seconds: 10 * 60, label: '10 min' },
  { seconds: 60 * 60, label: '1 h' },
  { seconds: 24 * 60 * 60, label: '24 h' },
  { seconds: 7 * 24 * 60 * 60, label: '7 d' },
] as const;

export const SLOW_MODE_OPTIONS = [0, 3, 5, 10, 30, 60, 120, 300] as const;

export const CHAT_MODE_LABELS: Record<ChatMode, string> = {
  everyone: 'Everyone',
  followers: 'Followers only',
  verified: 'Verified accounts only',
};

/** A fresh id for one message the person sends (the API stores a retry with the same id once). */
export function newClientMessageId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** `existing` and `incoming` together, each message once (the newer copy wins), oldest first. */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  if (incoming.length === 0) return [...existing];
  const byId = new Map<number, ChatMessage>();
  for (const message of existing) byId.set(message.id, message);
  for (const message of incoming) {
    const known = byId.get(message.id);
    // A live copy carries no reaction counts; keep the ones history gave.
    byId.set(
      message.id,
      known?.reactions && !message.reactions ? { ...message, reactions: known.reactions } : message,
    );
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Keeps the newest `max` messages; `cursor` is where "Load older" picks up again when some were dropped. */
export function keepNewest(
  messages: ChatMessage[],
  max: number,
): { messages: ChatMessage[]; cursor: number | null } {
  if (messages.length <= max) return { messages, cursor: null };
  const kept = messages.slice(messages.length - max);
  return { messages: kept, cursor: kept[0]?.id ?? null };
}

/** A feed item's events, in order (the API sends batches; a single event is read as a batch of one). */
export function feedEvents(data: StreamEvent | readonly StreamEvent[]): readonly StreamEvent[] {
  return Array.isArray(data) ? data : [data as StreamEvent];
}

/** The list after a room event that touches messages (a new one, a deletion, a reaction); others change nothing. */
export function applyMessageEvent(messages: ChatMessage[], event: StreamEvent): ChatMessage[] {
  switch (event.type) {
    case 'chat.message':
      return mergeMessages(messages, [event]);
    case 'chat.deleted':
      return messages.some((message) => message.id === event.messageId)
        ? messages.filter((message) => message.id !== event.messageId)
        : messages;
    case 'chat.reaction':
      return setReactionCount(messages, event.messageId, event.emoji, event.count);
    default:
      return messages;
  }
}

export function setReactionCount(
  messages: ChatMessage[],
  messageId: number,
  emoji: string,
  count: number,
): ChatMessage[] {
  const index = messages.findIndex((message) => message.id === messageId);
  const target = messages[index];
  if (!target) return messages;
  const reactions = { ...target.reactions };
  if (count > 0) reactions[emoji] = count;
  else delete reactions[emoji];
  const next = [...messages];
  next[index] = { ...target, reactions };
  return next;
}

/** The reactions to show under a message, in the picker's order, with their counts. */
export function reactionCounts(message: Pick<ChatMessage, 'reactions'>): { emoji: string; count: number }[] {
  const counts = message.reactions ?? {};
  return CHAT_REACTIONS.filter((emoji) => (counts[emoji] ?? 0) > 0).map((emoji) => ({
    emoji,
    count: counts[emoji] ?? 0,
  }));
}

export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; username: string; self: boolean };

// A URL runs to the next space; a mention is @ and a username (3–24 letters, digits, _) not inside a word.
const TOKEN = /(https?:\/\/[^\s<>"'`]+)|(?<![\w@])@([A-Za-z0-9_]{3,24})(?!\w)/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

/** A URL as typed, without the punctuation that usually ends the sentence around it; null if it is not http(s). */
function linkOf(raw: string): { text: string; href: string; rest: string } | null {
  let text = raw.replace(TRAILING_PUNCTUATION, '');
  // "(see https://x.y/a_(b))": keep a closing bracket that the URL itself opened.
  const trimmed = raw.slice(text.length);
  if (trimmed.startsWith(')') && text.includes('(')) text += ')';
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { text, href: url.href, rest: raw.slice(text.length) };
  } catch {
    return null;
  }
}

/**
 * A message's text cut into plain text, links (only when the room allows them; otherwise they stay text) and
 * @mentions (`self` when it names `me`). Rendered with text interpolation only, so nothing in it is markup.
 */
export function messageSegments(
  text: string,
  options: { linksAllowed: boolean; me?: string | null | undefined },
): TextSegment[] {
  const me = options.me?.toLowerCase() ?? null;
  const segments: TextSegment[] = [];
  const pushText = (value: string) => {
    if (!value) return;
    const last = segments.at(-1);
    if (last?.kind === 'text') last.text += value;
    else segments.push({ kind: 'text', text: value });
  };
  let index = 0;
  for (const match of text.matchAll(TOKEN)) {
    pushText(text.slice(index, match.index));
    index = match.index + match[0].length;
    const [whole, url, username] = match;
    if (url) {
      const link = options.linksAllowed ? linkOf(url) : null;
      if (link) {
        segments.push({ kind: 'link', text: link.text, href: link.href });
        pushText(link.rest);
      } else pushText(whole);
    } else if (username) {
      const name = username.toLowerCase();
      segments.push({ kind: 'mention', text: whole, username: name, self: name === me });
    }
  }
  pushText(text.slice(index));
  return segments;
}

/** Whether `text` mentions `username` (case does not matter). */
export function mentions(text: string, username: string | null | undefined): boolean {
  if (!username) return false;
  return messageSegments(text, { linksAllowed: false, me: username }).some(
    (segment) => segment.kind === 'mention' && segment.self,
  );
}

const timeFormat = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' });

/** "3:07 PM", in the viewer's own time zone (chat is only rendered in the browser). */
export function formatChatTime(value: string | Date): string {
  return timeFormat.format(new Date(value));
}

/** Reasons after which sending is pointless until `retryAfterSeconds` have passed. */
export const COOLDOWN_REASONS: ReadonlySet<RefusalReason> = new Set([
  'SLOW_MODE',
  'TIMED_OUT',
  'RATE_LIMITED',
]);

/** The rules of the room a chatter should know before typing, one sentence each. */
export function settingsNotices(settings: ChatSettings | null): string[] {
  if (!settings) return [];
  const notices: string[] = [];
  if (settings.chatMode === 'followers') notices.push('Followers-only chat: follow the streamer to chat.');
  if (settings.chatMode === 'verified')
    notices.push('Verified-only chat: only age-verified accounts can chat.');
  if (settings.slowModeSeconds > 0) {
    notices.push(`Slow mode: one message every ${formatDuration(settings.slowModeSeconds)}.`);
  }
  return notices;
}

export type ChatBadge = ChatSender['badges'][number];

/** How a badge reads in a chat line, short, and to a screen reader, in full. */
export const CHAT_BADGES: Record<ChatBadge, { label: string; description: string }> = {
  streamer: { label: 'Streamer', description: 'Streamer of this channel' },
  moderator: { label: 'Mod', description: 'Moderator of this channel' },
  admin: { label: 'Admin', description: 'Lumen admin' },
  staff: { label: 'Staff', description: 'Lumen staff' },
};

const PROTECTED_BADGES: ReadonlySet<ChatBadge> = new Set(['streamer', 'admin', 'staff']);

/**
 * What a moderator may do to a message: nothing to the streamer's or staff's own lines; delete anything else;
 * time out or ban only a known sender other than themselves.
 */
export function moderationActions(
  message: Pick<ChatMessage, 'sender'>,
  viewer: { canModerate: boolean; userId: string | null },
): { menu: boolean; restrict: boolean } {
  if (!viewer.canModerate) return { menu: false, restrict: false };
  const sender = message.sender;
  if (sender?.badges.some((badge) => PROTECTED_BADGES.has(badge))) return { menu: false, restrict: false };
  return { menu: true, restrict: sender !== null && sender.id !== viewer.userId };
}

/** A restriction in this room, as the person restricted sees it. */
export type ChatRestriction = { until: number | null; reason: string | null };

/** "You are timed out for 9 min 58 s." or "You are banned from this chat.", with the reason when there is one. */
export function restrictionText(restriction: ChatRestriction, now: number): string {
  const why = restriction.reason ? ` Reason: ${restriction.reason}` : '';
  if (restriction.until === null) return `You are banned from this chat.${why}`;
  return `You are timed out for ${formatDuration((restriction.until - now) / 1000)}.${why}`;
}

/** How far a goal is, 0–100 (whole percent, never past 100). */
export function goalPercent(goal: Pick<StreamGoal, 'progressTokens' | 'targetTokens'>): number {
  if (goal.targetTokens <= 0) return 100;
  return Math.min(100, Math.max(0, Math.floor((goal.progressTokens / goal.targetTokens) * 100)));
}

/** `existing` and `incoming` whispers together, each once, oldest first. */
export function mergeWhispers(
  existing: readonly WhisperView[],
  incoming: readonly WhisperView[],
): WhisperView[] {
  const byId = new Map<number, WhisperView>();
  for (const message of [...existing, ...incoming]) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
