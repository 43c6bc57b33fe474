import { api } from './api.ts';
import type { UserEvent } from './chat.ts';

/** Whisper events come in bursts (a thread marked read, several tabs); the unread count is re-read once per burst. */
const UNREAD_REFRESH_DELAY_MS = 250;

type Listener = (event: UserEvent) => void;

/**
 * The signed-in person's `chat.onUser` feed, one subscription per tab for the whole site (the header starts it):
 * whispers, read receipts, restrictions. Pages listen with `on()`; the unread whisper count lives here.
 */
class UserFeed {
  unreadTotal = $state(0);
  #listeners = new Set<Listener>();
  #subscription: { unsubscribe: () => void } | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** Subscribes for the signed-in person; returns the stop function (call it when they sign out). */
  start(): () => void {
    this.#subscription?.unsubscribe();
    const subscription = api.chat.onUser.subscribe(undefined, {
      onData: (event) => {
        if (event.type === 'whisper' || event.type === 'whisper.read') this.refreshUnread();
        for (const listener of this.#listeners) listener(event);
      },
      onError: () => {
        // The session ended or the server refused: the badge keeps its last count until the next page load.
      },
    });
    this.#subscription = subscription;
    this.refreshUnread(0);
    return () => {
      subscription.unsubscribe();
      if (this.#subscription === subscription) this.#subscription = null;
      clearTimeout(this.#refreshTimer);
      this.unreadTotal = 0;
    };
  }

  /** Calls `listener` with every event until the returned function is called. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads the unread count from the inbox (after a whisper arrived or a conversation was read). */
  refreshUnread(delayMs = UNREAD_REFRESH_DELAY_MS): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(async () => {
      try {
        this.unreadTotal = (await api.chat.conversations.query()).unreadTotal;
      } catch {
        // A missed refresh leaves the badge a little stale; the next whisper refreshes it again.
      }
    }, delayMs);
  }
}

export const userFeed = new UserFeed();
