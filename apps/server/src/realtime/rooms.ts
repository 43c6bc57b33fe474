import {
  type CoreDeps,
  latestRoomEventId,
  type RoomBusEvent,
  type RoomFeed,
  replayRoomEvents,
  type StreamEvent,
  toStreamEvent,
} from '@app/core';
import type { Logger } from '../logger.ts';

/** Turns one room event into the bytes every viewer of the room receives. */
export type FrameEncoder = (streamId: string, eventId: string, event: StreamEvent) => string;

/** Where a room's frames go: the websocket server's topic pub/sub (`server.publish`). */
export type FrameSink = (topic: string, frame: string) => void;

/** A websocket as the hub sees it. */
export type RoomSocket = {
  send: (frame: string) => unknown;
  subscribe: (topic: string) => void;
  unsubscribe: (topic: string) => void;
  isOpen: () => boolean;
};

/** How many recent frames a room keeps to close the gap between a subscriber's replay and its first live frame. */
const RING_SIZE = 512;
/** How often a room reports this node's viewers and its announcer re-counts everyone's. */
const PRESENCE_TICK_MS = 2000;

type Room = {
  streamId: string;
  streamerId: string;
  topic: string;
  /** Subscribers on this node (shared-frame and standalone). */
  viewers: number;
  /** The newest stored event id this node knows of: resume ids of unstored events. */
  lastId: number;
  ring: { eventId: number; frame: string }[];
  /** Counts every event this node handled, to tell which unstored events came after a snapshot. */
  seq: number;
  /** The newest frame of each unstored event type (settings, viewers, state, goal). */
  latest: Map<string, { seq: number; frame: string }>;
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

  const onEvent = (room: Room, raw: RoomBusEvent) => {
    const mapped = toStreamEvent(raw);
    if (!mapped) return;
    if (mapped.eventId !== null && mapped.eventId > room.lastId) room.lastId = mapped.eventId;
    const id = mapped.eventId ?? room.lastId;
    const frame = encode(room.streamId, String(id), mapped.event);
    room.seq += 1;
    if (mapped.eventId !== null) {
      room.ring.push({ eventId: mapped.eventId, frame });
      if (room.ring.length > RING_SIZE) room.ring.shift();
    } else {
      room.latest.set(mapped.event.type, { seq: room.seq, frame });
    }
    publish(room.topic, frame);
  };

  const open = (streamId: string, streamerId: string): Room => {
    const existing = rooms.get(streamId);
    if (existing) return existing;
    const room: Room = {
      streamId,
      streamerId,
      topic: `room:${streamId}`,
      viewers: 0,
      lastId: 0,
      ring: [],
      seq: 0,
      latest: new Map(),
      reported: 0,
      announced: null,
      ready: Promise.resolve(),
      stopBus: () => {},
    };
    room.stopBus = deps.bus.subscribe(`stream:${streamId}`, (event) => onEvent(room, event as RoomBusEvent));
    room.ready = (async () => {
      await deps.bus.ready(`stream:${streamId}`);
      const latest = await latestRoomEventId(deps, streamId);
      if (latest > room.lastId) room.lastId = latest;
    })();
    rooms.set(streamId, room);
    return room;
  };

  const release = (room: Room) => {
    room.viewers -= 1;
    if (room.viewers > 0 || rooms.get(room.streamId) !== room) return;
    rooms.delete(room.streamId);
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
          await deps.bus.publish(`stream:${room.streamId}`, {
            type: 'stream.viewers',
            streamId: room.streamId,
            count,
          });
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
      room.viewers += 1;
      let joined = false;
      try {
        await room.ready;
        const seqAtSnapshot = room.seq;
        const snapshot = await feed.snapshot();
        let sentUpTo = feed.lastEventId ?? room.lastId;
        const frames: string[] = [];
        if (feed.lastEventId !== null) {
          const replay = await replayRoomEvents(deps, feed.streamId, feed.lastEventId);
          if (replay.tooFar) {
            sentUpTo = Math.max(room.lastId, await latestRoomEventId(deps, feed.streamId));
            frames.push(
              encode(feed.streamId, String(sentUpTo), { type: 'chat.reset', streamId: feed.streamId }),
            );
          }
          for (const item of replay.events) {
            sentUpTo = item.eventId;
            frames.push(encode(feed.streamId, String(item.eventId), item.event as StreamEvent));
          }
        }
        if (!socket.isOpen()) return null;
        started();
        const snapshotId = String(feed.lastEventId ?? room.lastId);
        for (const event of snapshot) socket.send(encode(feed.streamId, snapshotId, event));
        for (const frame of frames) socket.send(frame);
        for (const entry of room.ring) if (entry.eventId > sentUpTo) socket.send(entry.frame);
        // A settings or state change announced while the snapshot was read is newer than the snapshot.
        for (const entry of room.latest.values()) if (entry.seq > seqAtSnapshot) socket.send(entry.frame);
        socket.subscribe(room.topic);
        joined = true;
        return () => {
          if (socket.isOpen()) socket.unsubscribe(room.topic);
          release(room);
        };
      } finally {
        if (!joined) release(room);
      }
    },
    /** Counts a standalone subscription (one that is served on its own) as a viewer of the room. */
    watch(streamId: string, streamerId: string): () => void {
      const room = open(streamId, streamerId);
      room.viewers += 1;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        release(room);
      };
    },
    streamerOf(streamId: string): string | null {
      return rooms.get(streamId)?.streamerId ?? null;
    },
    /** Subscribers on this node, per stream. */
    counts(): Record<string, number> {
      return Object.fromEntries([...rooms.values()].map((room) => [room.streamId, room.viewers]));
    },
    /** Runs the presence step now (tests). */
    tick,
    async close() {
      clearInterval(timer);
      clearInterval(heartbeat);
      for (const room of rooms.values()) room.stopBus();
      rooms.clear();
      await deps.presence.leave().catch(() => {});
    },
  };
}

export type RoomHub = ReturnType<typeof createRoomHub>;
