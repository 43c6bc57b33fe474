import { invalidate } from '$app/navigation';
import { api } from './api.ts';
import type { UserEvent } from './chat.ts';
import { WALLET_DEPENDENCY } from './economy.ts';
import { FOLLOWING_DEPENDENCY } from './following.ts';

/** Whisper events come in bursts (a thread marked read, several tabs); the unread count is re-read once per burst. */
const UNREAD_REFRESH_DELAY_MS = 250;

type Listener = (event: UserEvent) => void;

/**
 * The signed-in person's `chat.onUser` feed, one subscription per tab for the whole site (the header starts it):
 * whispers, read receipts, restrictions, notifications. Pages listen with `on()`; the unread whisper count and the
 * bell's unread count live here.
 */
class UserFeed {
  unreadTotal = $state(0);
  /** Unread notifications: the bell's badge. */
  notificationsUnread = $state(0);
  /** Bumped by every notification that arrives, so an open list knows to re-read. */
  notificationsArrived = $state(0);
  /** True once the server confirmed the feed: from then on every notification arrives live. */
  live = $state(false);
  #listeners = new Set<Listener>();
  #subscription: { unsubscribe: () => void } | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #notificationsTimer: ReturnType<typeof setTimeout> | undefined;
  #walletTimer: ReturnType<typeof setTimeout> | undefined;

  /** Subscribes for the signed-in person; returns the stop function (call it when they sign out). */
  start(): () => void {
    this.#subscription?.unsubscribe();
    const subscription = api.chat.onUser.subscribe(undefined, {
      onStarted: () => {
        this.live = true;
        // Anything stored before the feed was live is counted here; anything after arrives on it.
        this.refreshNotifications(0);
      },
      onData: (event) => {
        if (event.type === 'whisper' || event.type === 'whisper.read') this.refreshUnread();
        if (event.type === 'notification') {
          this.notificationsUnread += 1;
          this.notificationsArrived += 1;
          // The sidebar's followed channels put a channel that just went live first.
          if (event.notification.kind === 'stream.live') void invalidate(FOLLOWING_DEPENDENCY);
        }
        // A grant, a purchase, a refund or a tip received elsewhere: the header's balance and the wallet pages
        // read again (once per burst).
        if (event.type === 'balance.changed' || event.type === 'earnings.changed') this.refreshWallet();
        // Reading a conversation also reads the whisper notifications it raised.
        if (event.type === 'whisper.read') this.refreshNotifications();
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
      clearTimeout(this.#notificationsTimer);
      clearTimeout(this.#walletTimer);
      this.unreadTotal = 0;
      this.notificationsUnread = 0;
      this.live = false;
    };
  }

  /** Calls `listener` with every event until the returned function is called. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads everything that shows the person's tokens (the header's balance, the wallet and earnings pages). */
  refreshWallet(delayMs = UNREAD_REFRESH_DELAY_MS): void {
    clearTimeout(this.#walletTimer);
    this.#walletTimer = setTimeout(() => void invalidate(WALLET_DEPENDENCY), delayMs);
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

  /** Re-reads the bell's count (on start, after notifications were read here or in another tab). */
  refreshNotifications(delayMs = UNREAD_REFRESH_DELAY_MS): void {
    clearTimeout(this.#notificationsTimer);
    this.#notificationsTimer = setTimeout(async () => {
      try {
        this.notificationsUnread = (await api.notifications.unreadCount.query()).unreadCount;
      } catch {
        // A missed refresh leaves the badge a little stale; the next notification corrects it.
      }
    }, delayMs);
  }
}

export const userFeed = new UserFeed();
