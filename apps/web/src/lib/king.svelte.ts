import type { ChatRoom } from './chat.svelte.ts';
import { addNotice, createKingTracker, type King, type RoomNotice } from './king.ts';

/** The room's crown as the stream page shows it: who holds it, and the chat lines announcing a change of hands. */
export class RoomKing {
  readonly room: ChatRoom;
  king = $state.raw<King | null>(null);
  notices = $state.raw<RoomNotice[]>([]);
  #count = 0;

  constructor(room: ChatRoom) {
    this.room = room;
  }

  /** Follows the room's `king.changed` events (the arrival snapshot first); returns how to stop. */
  start(): () => void {
    const tracker = createKingTracker();
    // A message of the same batch is not in `room.messages` yet: the notice goes after it all the same.
    let lastMessageId = 0;
    return this.room.onEvent((event) => {
      if (event.type === 'chat.message') lastMessageId = Math.max(lastMessageId, event.id);
      if (event.type !== 'king.changed') return;
      this.king = event.king;
      const text = tracker.observe(event.king);
      if (text === null) return;
      this.notices = addNotice(this.notices, {
        id: `king-${++this.#count}`,
        text,
        kind: 'king',
        afterMessageId: Math.max(lastMessageId, this.room.messages.at(-1)?.id ?? 0),
      });
    });
  }
}
