import type { ChatRoom } from './chat.svelte.ts';
import { type League, levelUpLine } from './levels.ts';

export type LevelUpAnnouncement = {
  key: string;
  text: string;
  level: number;
  league: League;
  username: string;
};

/** Announcements kept per room (older ones fall off with the messages they followed). */
const KEPT = 50;

/**
 * The room's `level.up` announcements as chat lines: each is shown after the newest message the viewer had when it
 * arrived, so it sits in the log where it happened.
 */
export class LevelAnnouncements {
  #byMessage = $state.raw<ReadonlyMap<number, LevelUpAnnouncement[]>>(new Map());
  #count = 0;

  constructor(private readonly room: ChatRoom) {}

  /** Listens to the room; returns how to stop. */
  start(): () => void {
    return this.room.onEvent((event) => {
      if (event.type !== 'level.up') return;
      const after = this.room.messages.at(-1)?.id ?? 0;
      const line: LevelUpAnnouncement = {
        key: `${event.user.id}:${event.level}:${++this.#count}`,
        text: levelUpLine(event.user.displayName, event.level, event.league),
        level: event.level,
        league: event.league,
        username: event.user.username,
      };
      const next = new Map(this.#byMessage);
      next.set(after, [...(next.get(after) ?? []), line]);
      while (next.size > KEPT) next.delete(next.keys().next().value as number);
      this.#byMessage = next;
    });
  }

  /** The announcements that follow message `id` (0: before any message). */
  after(id: number): readonly LevelUpAnnouncement[] {
    return this.#byMessage.get(id) ?? [];
  }
}
