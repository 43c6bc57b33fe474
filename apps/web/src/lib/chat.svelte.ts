import { type ApiProblem, type ChatReaction, readApiError } from '@app/api/client';
import { api } from './api.ts';
import {
  applyMessageEvent,
  CHAT_LIVE_MAX,
  CHAT_PAGE_SIZE,
  type ChatMessage,
  type ChatRestriction,
  type ChatSettings,
  COOLDOWN_REASONS,
  feedEvents,
  keepNewest,
  mergeMessages,
  newClientMessageId,
  type StreamEvent,
  type StreamGoal,
  type StreamStateEvent,
  setReactionCount,
  type UserEvent,
} from './chat.ts';
import { userFeed } from './user-feed.svelte.ts';

/** A message on its way to the server, shown greyed until the stored one replaces it. */
export type PendingMessage = { clientMessageId: string; text: string; createdAt: string };

/**
 * A line the room adds to its chat (a goal reached), shown after the message that was newest when it came
 * (`afterId`, 0 before any); kept for this visit only.
 */
export type RoomNotice = { key: string; text: string; afterId: number };

/** Notices kept per visit. */
const NOTICES_MAX = 20;

/** Who is looking at the room. */
export type ChatViewer = { id: string; username: string } | null;

/**
 * One stream's room as a page sees it: the chat (history, then live over `chat.onStream`), the room's settings,
 * viewer count, state and goal, and what the viewer may do (send, react, moderate). `start()` opens it.
 */
export class ChatRoom {
  readonly streamId: string;
  readonly viewer: ChatViewer;

  messages = $state.raw<ChatMessage[]>([]);
  pending = $state.raw<PendingMessage[]>([]);
  /** "Load older" continues from here; null when the beginning is loaded. */
  olderCursor = $state<number | null>(null);
  olderLoading = $state(false);
  olderProblem = $state<string | null>(null);
  /** `loading` until the history arrived; `failed` with `problem` when it did not. */
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  problem = $state<string | null>(null);
  /** The live feed answered (its first event arrived); false again when it failed. */
  connected = $state(false);
  feedProblem = $state<string | null>(null);

  settings = $state<ChatSettings | null>(null);
  canModerate = $state(false);
  channelId = $state<string | null>(null);
  viewers = $state<number | null>(null);
  streamState = $state<Pick<StreamStateEvent, 'status' | 'endedAt' | 'reason'> | null>(null);
  title = $state<string | null>(null);
  /** The active goal, moving with each tip; null when none is active. */
  goal = $state<StreamGoal | null>(null);
  /** The goal reached last during this visit (announced once per goal). */
  reachedGoal = $state<StreamGoal | null>(null);
  notices = $state.raw<RoomNotice[]>([]);

  /** The last refusal of a message, shown under the composer. */
  sendProblem = $state<ApiProblem | null>(null);
  /** Sending is pointless before this time (slow mode, rate limit), in ms since the epoch; 0 for "now". */
  cooldownUntil = $state(0);
  restriction = $state<ChatRestriction | null>(null);
  /** Ticks every second while a countdown shows. */
  now = $state(Date.now());
  /** Reactions the viewer added in this visit ("messageId:emoji"); the API does not say which are theirs. */
  myReactions = $state.raw<ReadonlySet<string>>(new Set());

  #clock: ReturnType<typeof setInterval> | undefined;
  #generation = 0;
  #listeners = new Set<(event: StreamEvent) => void>();

  constructor(streamId: string, viewer: ChatViewer) {
    this.streamId = streamId;
    this.viewer = viewer;
  }

  /**
   * Hands every room event (snapshot and live) to `listener` as well, for a panel of the room that keeps its own
   * state (goal, king, menu, board); returns how to stop.
   */
  onEvent(listener: (event: StreamEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Seconds left of a slow-mode or rate-limit wait (0 when there is none; a timeout is `restriction`). */
  get waitSeconds(): number {
    return Math.max(0, Math.ceil((this.cooldownUntil - this.now) / 1000));
  }

  get ended(): boolean {
    return this.streamState?.status === 'ended';
  }

  /** Loads the history, then follows the room live from where it ends. Returns the function that closes it. */
  start(): () => void {
    const generation = ++this.#generation;
    let subscription: { unsubscribe: () => void } | null = null;
    const stopRestrictions = this.viewer ? userFeed.on((event) => this.#onUserEvent(event)) : () => {};
    void this.#loadHistory().then((lastEventId) => {
      if (generation !== this.#generation) return;
      subscription = api.chat.onStream.subscribe(
        { streamId: this.streamId, ...(lastEventId ? { lastEventId } : {}) },
        {
          onData: ({ data }) => {
            this.connected = true;
            this.feedProblem = null;
            this.#onBatch(feedEvents(data));
          },
          onError: (error) => {
            this.connected = false;
            this.feedProblem = readApiError(error).message;
          },
        },
      );
    });
    return () => {
      this.#generation++;
      subscription?.unsubscribe();
      stopRestrictions();
      clearInterval(this.#clock);
      this.#clock = undefined;
    };
  }

  /** The newest page of history (replacing what is shown); returns the event id to follow the feed from. */
  async #loadHistory(): Promise<string | null> {
    try {
      const history = await api.chat.history.query({ streamId: this.streamId, limit: CHAT_PAGE_SIZE });
      // Live messages that came in while the page was loading stay; history fills in before them.
      const live = this.messages.filter((message) => message.id > (history.items.at(-1)?.id ?? 0));
      this.messages = mergeMessages(history.items, live);
      this.olderCursor = history.nextCursor;
      this.settings = history.settings;
      this.canModerate = history.canModerate;
      this.channelId = history.channelId;
      this.status = 'ready';
      this.problem = null;
      return history.lastEventId;
    } catch (error) {
      this.status = 'failed';
      this.problem = readApiError(error).message;
      return null;
    }
  }

  retry = async (): Promise<void> => {
    this.status = 'loading';
    await this.#loadHistory();
  };

  loadOlder = async (): Promise<void> => {
    const cursor = this.olderCursor;
    if (cursor === null || this.olderLoading) return;
    this.olderLoading = true;
    this.olderProblem = null;
    try {
      const page = await api.chat.history.query({ streamId: this.streamId, cursor, limit: CHAT_PAGE_SIZE });
      this.messages = mergeMessages(page.items, this.messages);
      this.olderCursor = page.nextCursor;
    } catch (error) {
      this.olderProblem = readApiError(error).message;
    } finally {
      this.olderLoading = false;
    }
  };

  /** A batch from the feed: its message changes are applied together (one update of the list). */
  #onBatch(events: readonly StreamEvent[]): void {
    let messages = this.messages;
    for (const event of events) {
      if (event.type === 'chat.reset') {
        // Too much was missed to replay: start again from the newest page (later events of the batch still apply).
        messages = [];
        void this.#loadHistory();
      } else {
        messages = applyMessageEvent(messages, event);
        this.#onRoomEvent(event);
      }
    }
    this.#setLive(messages);
  }

  #onRoomEvent(event: StreamEvent): void {
    for (const listener of this.#listeners) listener(event);
    switch (event.type) {
      case 'chat.settings':
        this.settings = event;
        return;
      case 'stream.viewers':
        this.viewers = event.count;
        return;
      case 'stream.state':
        this.streamState = { status: event.status, endedAt: event.endedAt, reason: event.reason };
        return;
      case 'stream.updated':
        this.title = event.title;
        return;
      case 'goal.progress':
        this.goal = event.goal;
        return;
      case 'goal.completed':
        this.reachedGoal = event.goal;
        this.addNotice(`goal:${event.goal.id}`, `Goal reached: ${event.goal.title}`);
        return;
    }
  }

  /** Adds a line to the room's chat once per key (a reconnect can deliver the same announcement again). */
  addNotice(key: string, text: string): void {
    if (this.notices.some((notice) => notice.key === key)) return;
    const notice = { key, text, afterId: this.messages.at(-1)?.id ?? 0 };
    this.notices = [...this.notices, notice].slice(-NOTICES_MAX);
  }

  /** Live additions keep the list bounded; what falls off the top can be loaded again. */
  #setLive(messages: ChatMessage[]): void {
    if (messages === this.messages) return;
    const kept = keepNewest(messages, CHAT_LIVE_MAX);
    this.messages = kept.messages;
    if (kept.cursor !== null) this.olderCursor = kept.cursor;
  }

  #onUserEvent(event: UserEvent): void {
    if (event.type !== 'chat.restricted') return;
    if (event.streamId !== this.streamId && event.channelId !== this.channelId) return;
    this.restriction = { until: event.until ? Date.parse(event.until) : null, reason: event.reason || null };
    // The restriction notice says it all; an older refusal would only contradict it.
    this.sendProblem = null;
    this.cooldownUntil = 0;
    this.#runClock();
  }

  /**
   * Sends `text`; shows it at once as pending, then as stored. On a refusal it says why and, for waits, counts
   * down. Returns whether the message went through (the composer gives the text back when it did not).
   */
  async send(text: string): Promise<boolean> {
    const clientMessageId = newClientMessageId();
    this.sendProblem = null;
    this.pending = [...this.pending, { clientMessageId, text, createdAt: new Date().toISOString() }];
    try {
      const sent = await api.chat.send.mutate({ streamId: this.streamId, text, clientMessageId });
      this.#setLive(mergeMessages(this.messages, [sent.message]));
      return true;
    } catch (error) {
      this.#refused(readApiError(error));
      return false;
    } finally {
      this.pending = this.pending.filter((line) => line.clientMessageId !== clientMessageId);
    }
  }

  #refused(refusal: ApiProblem): void {
    this.sendProblem = refusal;
    const wait = refusal.retryAfterSeconds;
    if (refusal.reason === 'BANNED_FROM_CHAT') this.restriction = { until: null, reason: null };
    else if (refusal.reason === 'TIMED_OUT' && wait) {
      this.restriction = { until: Date.now() + wait * 1000, reason: null };
    } else if (wait && refusal.reason && COOLDOWN_REASONS.has(refusal.reason)) {
      this.cooldownUntil = Date.now() + wait * 1000;
    }
    this.#runClock();
  }

  /** Keeps `now` moving while something counts down; clears what ran out. */
  #runClock(): void {
    this.now = Date.now();
    if (this.#clock !== undefined) return;
    this.#clock = setInterval(() => {
      this.now = Date.now();
      if (this.cooldownUntil && this.cooldownUntil <= this.now) {
        this.cooldownUntil = 0;
        if (this.sendProblem?.reason && COOLDOWN_REASONS.has(this.sendProblem.reason))
          this.sendProblem = null;
      }
      const until = this.restriction?.until;
      if (until && until <= this.now) {
        this.restriction = null;
        if (this.sendProblem?.reason === 'TIMED_OUT') this.sendProblem = null;
      }
      if (!this.cooldownUntil && !this.restriction?.until) {
        clearInterval(this.#clock);
        this.#clock = undefined;
      }
    }, 1000);
  }

  /** Adds or takes back the viewer's reaction. Returns a sentence when the API refused. */
  async react(messageId: number, emoji: ChatReaction): Promise<string | null> {
    try {
      const result = await api.chat.react.mutate({ messageId, emoji });
      this.messages = setReactionCount(this.messages, messageId, emoji, result.count);
      const mine = new Set(this.myReactions);
      const key = `${messageId}:${emoji}`;
      if (result.reacted) mine.add(key);
      else mine.delete(key);
      this.myReactions = mine;
      return null;
    } catch (error) {
      return readApiError(error).message;
    }
  }

  /** Removes a message from the list at once (the moderator's own view; everyone else gets `chat.deleted`). */
  removeMessage(messageId: number): void {
    this.messages = this.messages.filter((message) => message.id !== messageId);
  }

  applySettings(settings: ChatSettings): void {
    this.settings = settings;
  }
}
