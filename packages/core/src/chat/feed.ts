import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError } from '../kernel/errors.ts';
import type { BusEvent, EventBus, Topic } from '../kernel/ports.ts';
import type { Viewer } from '../streams/views.ts';
import { type RoomBusEvent, type StreamEvent, toStreamEvent, toUserEvent, type UserEvent } from './events.ts';
import {
  currentGoal,
  latestRoomEventId,
  readableStream,
  replayRoomEvents,
  settingsEvent,
} from './messages.ts';
import type { OnStreamInput } from './schemas.ts';

/**
 * A batch of a room's events, in order, as a subscriber receives them: a busy room's events of a few
 * milliseconds travel together, so a viewer gets one frame per batch instead of one per message. `id` is the log
 * id of the newest stored event in or before the batch: a client that resumes from any `id` it saw misses nothing.
 */
export type RoomFeedItem = { id: string; events: StreamEvent[] };

/**
 * A subscription to a room, opened after the access check. `iterate` serves it on its own (listen on the bus,
 * replay from Postgres after `lastEventId`, then live, skipping what was already sent). A websocket server may
 * instead serve many feeds of one room together from `snapshot` plus shared frames.
 */
export type RoomFeed = {
  streamId: string;
  streamerId: string;
  /** Where the subscriber resumes; null for "from now". */
  lastEventId: number | null;
  /** False for the streamer watching their own stream (the studio): they are not counted as a viewer. */
  countsAsViewer: boolean;
  /** What a subscriber needs on arrival: stream state, chat settings, viewers, goal. */
  snapshot: () => Promise<StreamEvent[]>;
  iterate: (signal?: AbortSignal) => AsyncGenerator<RoomFeedItem>;
};

/** Opens `chat.onStream` for a viewer: refused (with the reason) when they may not see the stream. */
export async function openRoomFeed(deps: CoreDeps, viewer: Viewer, input: OnStreamInput): Promise<RoomFeed> {
  const stream = await readableStream(deps, viewer, input.streamId);
  const lastEventId = input.lastEventId ? Number(input.lastEventId) : null;
  // Read again, not taken from the access check above: the snapshot is read after the subscriber listens, so a
  // change in between is either in it or arrives as an event.
  const snapshot = async (): Promise<StreamEvent[]> => {
    const [fresh, goal, viewers] = await Promise.all([
      readableStream(deps, viewer, input.streamId),
      currentGoal(deps, input.streamId),
      deps.presence.count(input.streamId),
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
      { type: 'stream.goal', streamId: fresh.id, goal },
    ];
  };
  return {
    streamId: stream.id,
    streamerId: stream.streamerId,
    lastEventId,
    countsAsViewer: viewer?.id !== stream.streamerId,
    snapshot,
    iterate: (signal) => iterateRoom(deps, stream.id, lastEventId, snapshot, signal),
  };
}

/** Bus events of one topic as an async queue that exists before anything is read from the database. */
function listen(bus: EventBus, topic: Topic, signal?: AbortSignal) {
  const queue: BusEvent[] = [];
  let wake: (() => void) | null = null;
  const stop = bus.subscribe(topic, (event) => {
    queue.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    ready: bus.ready(topic),
    /** The next event, or null once aborted. */
    async next(): Promise<BusEvent | null> {
      while (queue.length === 0) {
        if (signal?.aborted) return null;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      return signal?.aborted ? null : queue.shift()!;
    },
    /** The next queued event without waiting, or null. */
    take(): BusEvent | null {
      return queue.shift() ?? null;
    },
    close() {
      stop();
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

async function* iterateRoom(
  deps: CoreDeps,
  streamId: string,
  lastEventId: number | null,
  snapshot: () => Promise<StreamEvent[]>,
  signal?: AbortSignal,
): AsyncGenerator<RoomFeedItem> {
  const events = listen(deps.bus, `stream:${streamId}`, signal);
  try {
    await events.ready;
    let last = lastEventId ?? (await latestRoomEventId(deps, streamId));
    const first = await snapshot();
    if (lastEventId !== null) {
      const replay = await replayRoomEvents(deps, streamId, lastEventId);
      if (replay.tooFar) {
        last = await latestRoomEventId(deps, streamId);
        first.push({ type: 'chat.reset', streamId });
      }
      for (const item of replay.events) {
        last = item.eventId;
        first.push(item.event as StreamEvent);
      }
    }
    yield { id: String(last), events: first };
    for (let raw = await events.next(); raw; raw = await events.next()) {
      // Whatever else is already queued goes in the same batch.
      const batch: StreamEvent[] = [];
      for (let next: BusEvent | null = raw; next; next = events.take()) {
        const mapped = toStreamEvent(next as RoomBusEvent);
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

/** `chat.onUser`: whispers, notifications, balance and earnings changes; ends when the session is revoked. */
export async function* userFeed(
  deps: CoreDeps,
  userId: string,
  signal?: AbortSignal,
): AsyncGenerator<UserEvent> {
  const events = listen(deps.bus, `user:${userId}`, signal);
  try {
    await events.ready;
    for (let raw = await events.next(); raw; raw = await events.next()) {
      if (raw.type === 'session.revoked') {
        throw new DomainError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
      }
      const event = toUserEvent(raw);
      if (event) yield event;
    }
  } finally {
    events.close();
  }
}
