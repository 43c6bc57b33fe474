import { rowsOf } from '@app/db/engine';
import { messageReactions, type Stream } from '@app/db/schema';
import { inArray, sql } from 'drizzle-orm';
import { type ChatMessage, type ChatSettingsEvent, settingsEvent } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { CHAT_LIMITS } from '../kernel/limits.ts';
import type { ChatHistoryInput } from './schemas.ts';

export type ChatHistory = {
  /** Oldest first. */
  items: ChatMessage[];
  /** Pass as `cursor` for older messages; null at the beginning. */
  nextCursor: number | null;
  /** Subscribe with this as `lastEventId` to get everything after this page, with nothing missed. */
  lastEventId: string | null;
  settings: ChatSettingsEvent;
  /** The channel (its streamer's user id). */
  channelId: string;
};

/** The stream whose chat is read, after the caller checked the reader may see it (`room/access.ts`). */
export type ChatRoom = Pick<Stream, 'id' | 'streamerId' | 'settings'>;

/** A page of a room's chat, newest page first, deleted messages left out, with reaction counts. */
export async function chatHistory(
  deps: CoreDeps,
  stream: ChatRoom,
  input: ChatHistoryInput,
): Promise<ChatHistory> {
  // Read before the page: an event committed in between is then both in the page and replayed (clients drop
  // the repeat by message id) rather than in neither.
  const last = await latestRoomEventId(deps, input.streamId);
  const rows = rowsOf<{ messageId: number; payload: ChatMessage | string }>(
    await deps.db.execute(sql`
      select e.message_id::int as "messageId", e.payload
      from chat_events e join messages m on m.id = e.message_id
      where e.stream_id = ${input.streamId}::uuid and e.kind = 'message' and m.deleted_at is null
        ${input.cursor ? sql`and e.message_id < ${input.cursor}` : sql``}
      order by e.id desc
      limit ${input.limit + 1}`),
  );
  const page = rows.slice(0, input.limit);
  const items = await withReactions(deps, page.map((row) => parseJson<ChatMessage>(row.payload)).reverse());
  return {
    items,
    nextCursor: rows.length > input.limit ? (page.at(-1)?.messageId ?? null) : null,
    lastEventId: last > 0 ? String(last) : null,
    settings: settingsEvent(stream.id, stream.settings),
    channelId: stream.streamerId,
  };
}

async function withReactions(deps: CoreDeps, items: ChatMessage[]): Promise<ChatMessage[]> {
  if (items.length === 0) return items;
  const counts = await deps.db
    .select({
      messageId: messageReactions.messageId,
      emoji: messageReactions.emoji,
      count: sql<number>`count(*)::int`,
    })
    .from(messageReactions)
    .where(
      inArray(
        messageReactions.messageId,
        items.map((item) => item.id),
      ),
    )
    .groupBy(messageReactions.messageId, messageReactions.emoji);
  const byMessage = new Map<number, Record<string, number>>();
  for (const row of counts) {
    const entry = byMessage.get(row.messageId) ?? {};
    entry[row.emoji] = row.count;
    byMessage.set(row.messageId, entry);
  }
  return items.map((item) => ({ ...item, reactions: byMessage.get(item.id) ?? {} }));
}

export type ReplayedEvent = { eventId: number; event: Record<string, unknown> & { type: string } };

/**
 * A room's stored events after `afterEventId`, oldest first, for a subscription that resumes. Messages deleted
 * since are left out (their delete event follows). More than `CHAT_LIMITS.replayMax` gives `tooFar`: the client
 * reloads the history instead.
 */
export async function replayRoomEvents(
  deps: CoreDeps,
  streamId: string,
  afterEventId: number,
): Promise<{ events: ReplayedEvent[]; tooFar: boolean }> {
  const rows = rowsOf<{ eventId: number; payload: Record<string, unknown> | string; deleted: boolean }>(
    await deps.db.execute(sql`
      select e.id::int as "eventId", e.payload, (m.deleted_at is not null) as deleted
      from chat_events e left join messages m on e.kind = 'message' and m.id = e.message_id
      where e.stream_id = ${streamId}::uuid and e.id > ${afterEventId}
      order by e.id
      limit ${CHAT_LIMITS.replayMax + 1}`),
  );
  if (rows.length > CHAT_LIMITS.replayMax) return { events: [], tooFar: true };
  const events: ReplayedEvent[] = [];
  for (const row of rows) {
    if (row.deleted) continue;
    events.push({ eventId: row.eventId, event: parseJson(row.payload) as ReplayedEvent['event'] });
  }
  return { events, tooFar: false };
}

/** The newest event id of a room, or 0. */
export async function latestRoomEventId(deps: CoreDeps, streamId: string): Promise<number> {
  const [row] = rowsOf<{ id: number | null }>(
    await deps.db.execute(
      sql`select max(id)::int as id from chat_events where stream_id = ${streamId}::uuid`,
    ),
  );
  return row?.id ?? 0;
}

/** jsonb comes back parsed from Bun's client and PGlite, as text from some drivers. */
function parseJson<T>(payload: T | string): T {
  return typeof payload === 'string' ? (JSON.parse(payload) as T) : payload;
}
