import { latestRoomEventId, replayRoomEvents } from '../chat/history.ts';
import type { OnStreamInput } from '../chat/schemas.ts';
import { listen } from '../events/listen.ts';
import { type StreamEvent, settingsEvent, toStreamEvent } from '../events/room.ts';
import { streamTopic } from '../events/topics.ts';
import { storedKing } from '../gamification/kings.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { BusEvent } from '../kernel/ports.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { readableStream } from './access.ts';
import { currentGoal } from './goals.ts';

/**
 * A batch of a room's events, in order, as a subscriber receives them: a busy room's events of a few
 * milliseconds travel together, so a viewer gets one frame per batch instead of one per message. `id` is the log
 * id of the newest stored event in or before the batch: a client that resumes from any `id` it saw misses nothing.
 */
export type RoomFeedItem = { id: string; events: StreamEvent[] };

/**
 * A subscription to a room, opened after the access check. `iterate` serves it on its own (listen on the bus,
 * then `arrival`, then live, skipping what was already sent). A websocket server may instead serve many feeds of
 * one room together: it listens once per room, sends each newcomer its `arrival`, then shared frames.
 */
export type RoomFeed = {
  streamId: string;
  streamerId: string;
  /** Where the subscriber resumes; null for "from now". */
  lastEventId: number | null;
  /** False for the streamer watching their own stream (the studio): they are not counted as a viewer. */
  countsAsViewer: boolean;
  /** What a subscriber needs on arrival: stream state, chat settings, viewers, goal, king. */
  snapshot: () => Promise<StreamEvent[]>;
  /** The snapshot plus what was missed since `lastEventId`; see `arrival` below. */
  arrival: (known: number | null) => Promise<{ events: StreamEvent[]; lastEventId: number }>;
  iterate: (signal?: AbortSignal) => AsyncGenerator<RoomFeedItem>;
};

/** Opens `chat.onStream` for a viewer: refused (with the reason) when they may not see the stream. */
export async function openRoomFeed(deps: CoreDeps, viewer: Viewer, input: OnStreamInput): Promise<RoomFeed> {
  const stream = await readableStream(deps, viewer, input.streamId);
  const lastEventId = input.lastEventId ? Number(input.lastEventId) : null;
  // Read again, not taken from the access check above: the snapshot is read after the subscriber listens, so a
  // change in between is either in it or arrives as an event.
  const snapshot = async (): Promise<StreamEvent[]> => {
    const [fresh, goal, viewers, king] = await Promise.all([
      readableStream(deps, viewer, input.streamId),
      currentGoal(deps, input.streamId),
      deps.presence.count(input.streamId),
      storedKing(deps.db, stream.streamerId),
    ]);
    return [
      {
        type: 'stream.state',
        streamId: fresh.id,
        status: fresh.status,
        startedAt: fresh.startedAt?.toISOString() ?? null,
        endedAt: fresh.endedAt?.toISOString() ?? null,
        reason: fresh.endedReason,
      },
      settingsEvent(fresh.id, fresh.settings),
      { type: 'stream.viewers', streamId: fresh.id, count: viewers },
      { type: 'goal.progress', streamId: fresh.id, goal },
      { type: 'king.changed', streamId: fresh.id, streamerId: fresh.streamerId, king },
    ];
  };
  const feed: RoomFeed = {
    streamId: stream.id,
    streamerId: stream.streamerId,
    lastEventId,
    countsAsViewer: viewer?.id !== stream.streamerId,
    snapshot,
    arrival: (known) => arrival(deps, feed, known),
    iterate: (signal) => iterateRoom(deps, feed, signal),
  };
  return feed;
}

/**
 * What a subscriber receives first: the arrival snapshot, then, when it resumes after `feed.lastEventId`, the
 * stored events it missed (or `chat.reset` when too many to replay). `known` is the newest event id the caller
 * has already published to others (a room hub's), read from the log when null. The returned id is where the
 * subscriber now stands.
 */
async function arrival(
  deps: CoreDeps,
  feed: Pick<RoomFeed, 'streamId' | 'lastEventId' | 'snapshot'>,
  known: number | null,
): Promise<{ events: StreamEvent[]; lastEventId: number }> {
  const { streamId, lastEventId } = feed;
  let last = lastEventId ?? known ?? (await latestRoomEventId(deps, streamId));
  const events = await feed.snapshot();
  if (lastEventId === null) return { events, lastEventId: last };
  const replay = await replayRoomEvents(deps, streamId, lastEventId);
  if (replay.tooFar) {
    last = Math.max(known ?? 0, await latestRoomEventId(deps, streamId));
    events.push({ type: 'chat.reset', streamId });
  }
  for (const item of replay.events) {
    last = item.eventId;
    events.push(item.event as StreamEvent);
  }
  return { events, lastEventId: last };
}

async function* iterateRoom(
  deps: CoreDeps,
  feed: RoomFeed,
  signal?: AbortSignal,
): AsyncGenerator<RoomFeedItem> {
  const events = listen(deps.bus, streamTopic(feed.streamId), signal);
  try {
    await events.ready;
    const first = await feed.arrival(null);
    let last = first.lastEventId;
    yield { id: String(last), events: first.events };
    for (let raw = await events.next(); raw; raw = await events.next()) {
      // Whatever else is already queued goes in the same batch.
      const batch: StreamEvent[] = [];
      for (let next: BusEvent | null = raw; next; next = events.take()) {
        const mapped = toStreamEvent(next);
        if (!mapped) continue;
        if (mapped.eventId !== null) {
          if (mapped.eventId <= last) continue;
          last = mapped.eventId;
        }
        batch.push(mapped.event);
      }
      if (batch.length > 0) yield { id: String(last), events: batch };
    }
  } finally {
    events.close();
  }
}
