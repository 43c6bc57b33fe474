import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rowsOf } from './db-errors.ts';
import { refusing } from './refusals.ts';

/**
 * What a user puts into a room, as the room's rule names it. Chat lines and tips are checked inside `chat_post`
 * and `send_tip`; this wrapper is for the paths that have no function of their own (reactions).
 */
export type RoomCapability = 'chat' | 'react' | 'tip';

export type RoomAdmitInput = {
  streamId: string;
  userId: string;
  capability: RoomCapability;
  /** A chat line or tip note (chat's rules apply to it); null for a reaction or a tip without a note. */
  body: string | null;
  now: Date;
  duplicateSeconds: number;
};

/**
 * Checks that the user may do `capability` in the stream's room now: `packages/db/sql/room/room_admit.sql`.
 * Returns the channel (the streamer's id). Refuses with STREAM_NOT_FOUND, STREAMER_BANNED, NOT_LIVE
 * (`detail.status`), USER_NOT_FOUND, ADULTS_ONLY, CHAT_BANNED (`detail.reason`), CHAT_TIMED_OUT (`detail.until`,
 * `detail.reason`) and, for chat, FOLLOWERS_ONLY, VERIFIED_ONLY, SLOW_MODE, DUPLICATE.
 */
export async function roomAdmit(executor: Executor, input: RoomAdmitInput): Promise<{ streamerId: string }> {
  const [row] = await refusing(async () =>
    rowsOf<{ streamerId: string }>(
      await executor.execute(sql`
        select streamer_id as "streamerId"
        from room_admit(${input.streamId}::uuid, ${input.userId}::uuid, ${input.capability}, ${input.body},
          ${input.now.toISOString()}::timestamptz, ${input.duplicateSeconds}::integer)`),
    ),
  );
  if (!row) throw new Error('room_admit returned no row');
  return row;
}
