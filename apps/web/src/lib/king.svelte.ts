import type { ChatRoom } from './chat.svelte.ts';
import { createKingTracker, type King, kingKey } from './king.ts';

/** The room's crown as the stream page shows it; a change of hands is announced in the room's chat. */
export class RoomKing {
  readonly room: ChatRoom;
  king = $state.raw<King | null>(null);

  constructor(room: ChatRoom) {
    this.room = room;
  }

  /** Follows the room's `king.changed` events (the arrival snapshot first); returns how to stop. */
  start(): () => void {
    const tracker = createKingTracker();
    return this.room.onEvent((event) => {
      if (event.type !== 'king.changed') return;
      this.king = event.king;
      const text = tracker.observe(event.king);
      if (text !== null) this.room.addNotice(`king:${kingKey(event.king)}`, text);
    });
  }
}
