import type { StreamEvent } from './chat.ts';
import { formatTokenNumber } from './money.ts';

export type KingChanged = Extract<StreamEvent, { type: 'king.changed' }>;
/** The room's king: its top tipper of the last 12 hours; `user` null when they hide from boards. */
export type King = NonNullable<KingChanged['king']>;

export function kingName(king: King): string {
  return king.user?.displayName ?? 'Anonymous';
}

/** On the stream: "👑 Ana · 1,200 tokens". */
export function kingLabel(king: King): string {
  const tokens = king.scoreTokens;
  return `👑 ${kingName(king)} · ${formatTokenNumber(tokens)} ${tokens === 1 ? 'token' : 'tokens'}`;
}

export function kingAnnouncement(king: King): string {
  return `👑 ${kingName(king)} is the new king of the room`;
}

/** Who holds the crown since when: the same king seen again (a reconnect's snapshot) has the same key. */
export function kingKey(king: King | null): string | null {
  return king ? `${king.user?.id ?? 'anonymous'}:${king.since}` : null;
}

/**
 * Follows `king.changed` events: the first one (the arrival snapshot) sets the scene, every later change of hands
 * is announced. A crown that lapses (no tips for 12 hours) is not announced.
 */
export function createKingTracker() {
  let seen = false;
  let key: string | null = null;
  return {
    /** The announcement for this event, or null when there is nothing to tell the room. */
    observe(king: King | null): string | null {
      const next = kingKey(king);
      const first = !seen;
      seen = true;
      if (next === key) return null;
      key = next;
      return first || king === null ? null : kingAnnouncement(king);
    },
  };
}
