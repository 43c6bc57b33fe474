import {
  type CoreDeps,
  latestRoomEventId,
  publishToRoom,
  type RoomFeed,
  recordViewerCount,
  type StreamEvent,
  streamTopic,
  toStreamEvent,
} from '@app/core';
import type { Logger } from '../logger.ts';

/** Turns a batch of room events into the bytes every viewer of the room receives. */
export type FrameEncoder = (streamId: string, eventId: string, events: StreamEvent[]) => string;

/** Where a room's frames go: the websocket server's topic pub/sub (`server.publish`). */
export type FrameSink = (topic: string, frame: string) => void;

/** A websocket as the hub sees it. */
export type RoomSocket = {
  send: (frame: string) => unknown;
  subscribe: (topic: string) => void;
  unsubscribe: (topic: string) => void;
  isOpen: () => boolean;
};

/** How many recent stored events a room keeps to close the gap between a subscriber's replay and its first frame. */
const RING_SIZE = 512;
/**
 * A room's events of this many milliseconds go out as one frame: at 400 messages a second that is one write per
 * viewer for ~6 messages instead of six, well under what a person can notice.
 */
export const BATCH_MS = 16;
/** How often a room reports this node's viewers and its announcer re-counts everyone's. */
const PRESENCE_TICK_MS = 2000;

type Room = {
  streamId: string;
  streamerId: string;
  topic: string;
  /** Subscriptions on this node (shared-frame and standalone): the room closes at 0. */
  subscribers: number;
  /** Of those, the ones that count as viewers (not the streamer watching their own stream). */
  viewers: number;
  /** The newest stored event id published to this room's viewers (or in the log when the room opened). */
  lastId: number;
  /** Stored events already published, newest last. */
  ring: { eventId: number; event: StreamEvent }[];
  /** Events waiting for the next flush. */
  pending: { eventId: number | null; event: StreamEvent }[];
  flushTimer: ReturnType<typeof setTimeout> | null;
  /** Counts every event this node published, to tell which unstored events came after a snapshot. */
  seq: number;
  /** The newest published event of each unstored type (settings, viewers, state, goal). */
  latest: Map<string, { seq: number; event: StreamEvent }>;
  reported: number;
  announced: number | null;
  ready: Promise<void>;
  stopBus: () => void;
};

/**
 * One per server process: serves every viewer of a room from one serialized frame per event. The room listens
 * on the bus (Redis pub/sub across nodes) while it has viewers here, encodes each event once and hands it to
 * `server.publish`, which writes the same bytes to every subscribed socket. It also reports this node's viewers
 * to presence, and, on the one node that leads the room, announces the total when it changes.
 */
export function createRoomHub(
  deps: CoreDeps,
  encode: FrameEncoder,
  publish: FrameSink,
  options: { log: Logger; heartbeatMs: number },
) {
  const { log } = options;
  const rooms = new Map<string, Room>();

  /** Publishes a room's pending events as one frame. */
  const flush = (room: Room) => {
    room.flushTimer = null;
    const batch = room.pending;
    if (batch.length === 0) return;
    room.pending = [];
    for (const item of batch) {
      room.seq += 1;
      if (item.eventId !== null && item.eventId > room.lastId) room.lastId = item.eventId;
      if (item.eventId !== null) {
        room.ring.push({ eventId: item.eventId, event: item.event });
        if (room.ring.length > RING_SIZE) room.ring.shift();
      } else {
        room.latest.set(item.event.type, { seq: room.seq, event: item.event });
      }
    }
    publish(
      room.topic,
      encode(
        room.streamId,
        String(room.lastId),
        batch.map((item) => item.event),
      ),
    );
  };

  const onEvent = (room: Room, raw: Record<string, unknown>) => {
    const mapped = toStreamEvent(raw);
    if (!mapped) return;
    room.pending.push(mapped);
    room.flushTimer ??= setTimeout(() => flush(room), BATCH_MS);
  };

  const open = (streamId: string, streamerId: string): Room => {
    const existing = rooms.get(streamId);
    if (existing) return existing;
    const room: Room = {
      streamId,
      streamerId,
      topic: `room:${streamId}`,
      subscribers: 0,
      viewers: 0,
      lastId: 0,
      ring: [],
      pending: [],
      flushTimer: null,
      seq: 0,
      latest: new Map(),
      reported: 0,
      announced: null,
      ready: Promise.resolve(),
      stopBus: () => {},
    };
    room.stopBus = deps.bus.subscribe(streamTopic(streamId), (event) => onEvent(room, event));
    room.ready = (async () => {
      await deps.bus.ready(streamTopic(streamId));
      const latest = await latestRoomEventId(deps, streamId);
      if (latest > room.lastId) room.lastId = latest;
    })();
    // Joins await it and report a failure to their subscriber; a standalone subscription does not wait for it.
    room.ready.catch((error) => log.warn('room did not open', { streamId, error: (error as Error).message }));
    rooms.set(streamId, room);
    return room;
  };

  const release = (room: Room, counted: boolean) => {
    room.subscribers -= 1;
    if (counted) room.viewers -= 1;
    if (room.subscribers > 0 || rooms.get(room.streamId) !== room) return;
    rooms.delete(room.streamId);
    if (room.flushTimer) clearTimeout(room.flushTimer);
    room.stopBus();
    deps.presence.report(room.streamId, 0).catch(() => {});
  };

  /** Presence: report this node's count; the room's leader announces the total when it changed. */
  const tick = async () => {
    for (const room of rooms.values()) {
      try {
        if (room.viewers !== room.reported) {
          await deps.presence.report(room.streamId, room.viewers);
          room.reported = room.viewers;
        }
        if (!(await deps.presence.lead(room.streamId))) {
          room.announced = null;
          continue;
        }
        const count = await deps.presence.count(room.streamId);
        if (count !== room.announced) {
          room.announced = count;
          await publishToRoom(deps.bus, room.streamId, {
            type: 'stream.viewers',
            streamId: room.streamId,
            count,
          });
          // Presence is the one writer of the stored count, so browse cards show what the stream page shows.
          await recordViewerCount(deps, room.streamId, count);
        }
      } catch (error) {
        log.warn('presence update failed', { streamId: room.streamId, error: (error as Error).message });
      }
    }
  };
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    tick().finally(() => {
      ticking = false;
    });
  }, PRESENCE_TICK_MS);
  const heartbeat = setInterval(() => deps.presence.heartbeat().catch(() => {}), options.heartbeatMs);
  deps.presence.heartbeat().catch(() => {});

  return {
    /**
     * Joins a socket to a room's shared frames. Sends the arrival snapshot and the replay after the feed's
     * `lastEventId` to this socket alone, then, in one synchronous step, the frames the room published since the
     * replay was read and the topic subscription: nothing is missed and nothing is sent twice. Returns the leave
     * function, or null when the socket closed meanwhile.
     */
    async join(socket: RoomSocket, feed: RoomFeed, started: () => void): Promise<(() => void) | null> {
      const room = open(feed.streamId, feed.streamerId);
      room.subscribers += 1;
      if (feed.countsAsViewer) room.viewers += 1;
      let joined = false;
      try {
        await room.ready;
        // Counted before the snapshot is read, so the newcomer's own count includes them.
        await deps.presence.report(room.streamId, room.viewers).catch(() => {});
        room.reported = room.viewers;
        const seqAtSnapshot = room.seq;
        const arrival = await feed.arrival(room.lastId);
        const sentUpTo = arrival.lastEventId;
        const first: StreamEvent[] = arrival.events;
        if (!socket.isOpen()) return null;
        started();
        // In one synchronous step: the snapshot and replay, what this node published since the replay was read,
        // unstored changes published since the snapshot was read, then the room's topic. Events still pending
        // go out with the next flush, which this socket is then subscribed to.
        for (const entry of room.ring) if (entry.eventId > sentUpTo) first.push(entry.event);
        for (const entry of room.latest.values()) if (entry.seq > seqAtSnapshot) first.push(entry.event);
        socket.send(encode(feed.streamId, String(Math.max(sentUpTo, room.lastId)), first));
        socket.subscribe(room.topic);
        joined = true;
        return () => {
          if (socket.isOpen()) socket.unsubscribe(room.topic);
          release(room, feed.countsAsViewer);
        };
      } finally {
        if (!joined) release(room, feed.countsAsViewer);
      }
    },
    /** Counts a standalone subscription (one that is served on its own) in the room. */
    watch(feed: RoomFeed): () => void {
      const room = open(feed.streamId, feed.streamerId);
      room.subscribers += 1;
      if (feed.countsAsViewer) room.viewers += 1;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        release(room, feed.countsAsViewer);
      };
    },
    async close() {
      clearInterval(timer);
      clearInterval(heartbeat);
      for (const room of rooms.values()) {
        if (room.flushTimer) clearTimeout(room.flushTimer);
        room.stopBus();
      }
      rooms.clear();
      await deps.presence.leave().catch(() => {});
    },
  };
}

export type RoomHub = ReturnType<typeof createRoomHub>;
