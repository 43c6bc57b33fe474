import {
  announceReadsChanged,
  type CoreDeps,
  creditWatchMinute,
  flushActivity,
  latestRoomEventId,
  publishToRoom,
  type RoomFeed,
  recordViewerCount,
  type StreamEvent,
  streamTopic,
  toStreamEvent,
} from '@app/core';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';
import { addViewer, BATCH_MS, newRoom, publishedSince, type Room, removeViewer, takeBatch } from './room.ts';

/** Turns a batch of room events into the bytes every viewer of the room receives. */
export type FrameEncoder = (streamId: string, eventId: string, events: StreamEvent[]) => string;

/** Where a room's frames go: the websocket server's topic pub/sub (`server.publish`). */
export type FrameSink = (topic: string, frame: string) => void;

/** A websocket as the hub sees it. */
export type RoomSocket = {
  send: (frame: string) => unknown;
  subscribe: (topic: string) => void;
  /** Stops the room's frames (nothing when the socket has closed). */
  unsubscribe: (topic: string) => void;
  /** Whether the socket is open and still wants the room's frames. */
  isOpen: () => boolean;
};

/** How often a room reports this node's viewers and its announcer re-counts everyone's. */
const PRESENCE_TICK_MS = 2000;
/** Signed-in viewers of live rooms earn watch XP once a minute (core dedupes a user across rooms and nodes). */
const WATCH_TICK_MS = 60_000;

/** Every signed-in viewer on this node, once per room (a viewer key counts a user once however many tabs). */
export function signedInViewers(rooms: Iterable<Room>): { userId: string; streamId: string }[] {
  const viewers: { userId: string; streamId: string }[] = [];
  for (const room of rooms) {
    for (const key of room.viewers.keys()) {
      if (key.startsWith('user:')) viewers.push({ userId: key.slice(5), streamId: room.streamId });
    }
  }
  return viewers;
}

type Hub = {
  deps: CoreDeps;
  encode: FrameEncoder;
  publish: FrameSink;
  log: Logger;
  rooms: Map<string, Room>;
};

function flush(hub: Hub, room: Room) {
  const events = takeBatch(room);
  if (events) hub.publish(room.topic, hub.encode(room.streamId, String(room.lastId), events));
}

function onEvent(hub: Hub, room: Room, raw: Record<string, unknown>) {
  const mapped = toStreamEvent(raw);
  if (!mapped) return;
  room.pending.push(mapped);
  room.flushTimer ??= setTimeout(() => flush(hub, room), BATCH_MS);
}

/** Who a subscription is, for viewer counts: a user, or a guest's address (see `viewerKey`). */
export type Viewer = { feed: RoomFeed; viewerKey: string };

/**
 * What a room keeps of a subscription until it leaves: not its feed, which holds the stream's and the viewer's
 * rows, once per subscriber.
 */
type Counted = { countsAsViewer: boolean; viewerKey: string };

/** Counts a subscription in its stream's room, opening the room (listening on the bus) for the first one. */
function enter(hub: Hub, { feed, viewerKey }: Viewer): Room {
  const { deps } = hub;
  const { streamId } = feed;
  let room = hub.rooms.get(streamId);
  if (!room) {
    const opened = newRoom(streamId, feed.streamerId);
    opened.stopBus = deps.bus.subscribe(streamTopic(streamId), (event) => onEvent(hub, opened, event));
    opened.ready = (async () => {
      await deps.bus.ready(streamTopic(streamId));
      const latest = await latestRoomEventId(deps, streamId);
      if (latest > opened.lastId) opened.lastId = latest;
    })();
    // Joins await it and report a failure to their subscriber; a standalone subscription does not wait for it.
    opened.ready.catch((error) => hub.log.warn('room did not open', { streamId, ...describeFailure(error) }));
    hub.rooms.set(streamId, opened);
    room = opened;
  }
  room.subscribers += 1;
  if (feed.countsAsViewer) addViewer(room, viewerKey);
  return room;
}

function release(hub: Hub, room: Room, { countsAsViewer, viewerKey }: Counted) {
  room.subscribers -= 1;
  if (countsAsViewer) removeViewer(room, viewerKey);
  if (room.subscribers > 0 || hub.rooms.get(room.streamId) !== room) return;
  hub.rooms.delete(room.streamId);
  if (room.flushTimer) clearTimeout(room.flushTimer);
  room.stopBus();
  hub.deps.presence.report(room.streamId, []).catch(() => {});
}

/** Tells presence which viewers this node holds in the room. */
async function reportViewers(hub: Hub, room: Room) {
  const version = room.viewersVersion;
  await hub.deps.presence.report(room.streamId, [...room.viewers.keys()]);
  room.reportedVersion = version;
}

/**
 * Resolves once presence has heard a report that read the room's viewers after this call. Each report writes
 * every viewer key of the room, so one per arrival would cost the square of the room's size when a crowd joins
 * (2,000 viewers: four million keys written); instead the viewers who arrive while a report is under way share
 * the next one.
 */
function reportViewersSince(hub: Hub, room: Room): Promise<void> {
  if (room.nextReport) return room.nextReport;
  // Reads the viewers at once (before its first await), so it covers everyone counted by now.
  const start = (): Promise<void> => {
    const report = reportViewers(hub, room).finally(() => {
      if (room.reporting === report) room.reporting = null;
    });
    room.reporting = report;
    return report;
  };
  if (!room.reporting) return start();
  const next = room.reporting
    .catch(() => {})
    .then(() => {
      room.nextReport = null;
      return start();
    });
  room.nextReport = next;
  return next;
}

/**
 * The leave function of a joined socket, made outside `join`: a closure made in an async function keeps all of
 * its variables alive (the feed, the arrival), for as long as the socket stays.
 */
function leaver(hub: Hub, room: Room, socket: RoomSocket, counted: Counted): () => void {
  let left = false;
  return () => {
    if (left) return;
    left = true;
    socket.unsubscribe(room.topic);
    release(hub, room, counted);
  };
}

/**
 * Joins a socket to a room's shared frames. Sends the arrival (snapshot and replay) to this socket alone, then,
 * in one synchronous step, the frames the room published since the replay was read and the topic subscription:
 * nothing is missed and nothing is sent twice. Returns the leave function, or null when the socket closed
 * meanwhile.
 */
async function join(hub: Hub, socket: RoomSocket, viewer: Viewer, started: () => void) {
  const { feed } = viewer;
  const counted: Counted = { countsAsViewer: feed.countsAsViewer, viewerKey: viewer.viewerKey };
  const room = enter(hub, viewer);
  let joined = false;
  try {
    await room.ready;
    // Counted before the snapshot is read, so the newcomer's own count includes them. The viewers are read once:
    // one who arrives while they are being reported is then reported by the next tick, not taken as reported.
    await reportViewersSince(hub, room).catch(() => {});
    const seqAtSnapshot = room.seq;
    const arrival = await feed.arrival(room.lastId);
    if (!socket.isOpen()) return null;
    started();
    // In one synchronous step: the arrival, what this node published since the replay was read, unstored
    // changes published since the snapshot was read, then the room's topic. Events still pending go out with the
    // next flush, which this socket is then subscribed to.
    const first = [...arrival.events, ...publishedSince(room, arrival.lastEventId, seqAtSnapshot)];
    socket.send(hub.encode(feed.streamId, String(Math.max(arrival.lastEventId, room.lastId)), first));
    socket.subscribe(room.topic);
    joined = true;
    return leaver(hub, room, socket, counted);
  } finally {
    if (!joined) release(hub, room, counted);
  }
}

/** Presence: report this node's count; the room's leader announces the total when it changed. */
async function reportPresence(hub: Hub) {
  const { presence, bus } = hub.deps;
  let recounted = false;
  for (const room of hub.rooms.values()) {
    try {
      if (room.viewersVersion !== room.reportedVersion) await reportViewersSince(hub, room);
      if (!(await presence.lead(room.streamId))) {
        room.announced = null;
        continue;
      }
      const count = await presence.count(room.streamId);
      if (count !== room.announced) {
        room.announced = count;
        await publishToRoom(bus, room.streamId, { type: 'stream.viewers', streamId: room.streamId, count });
        // Presence is the one writer of the stored count, so browse cards show what the stream page shows.
        if (await recordViewerCount(hub.deps, room.streamId, count)) recounted = true;
      }
    } catch (error) {
      hub.log.warn('presence update failed', { streamId: room.streamId, ...describeFailure(error) });
    }
  }
  // Listings sorted and labelled by viewers change: one announcement for every room this tick counted.
  if (recounted) {
    await announceReadsChanged(hub.deps, ['streams']).catch((error) =>
      hub.log.warn('read invalidation failed', describeFailure(error)),
    );
  }
}

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
  const hub: Hub = { deps, encode, publish, log: options.log, rooms: new Map() };
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    reportPresence(hub).finally(() => {
      ticking = false;
    });
  }, PRESENCE_TICK_MS);
  const heartbeat = setInterval(() => deps.presence.heartbeat().catch(() => {}), options.heartbeatMs);
  const creditWatch = () =>
    creditWatchMinute(deps, signedInViewers(hub.rooms.values())).catch((error) =>
      hub.log.warn('watch XP failed', describeFailure(error)),
    );
  const watchTimer = setInterval(creditWatch, WATCH_TICK_MS);
  deps.presence.heartbeat().catch(() => {});

  return {
    /** Resolves to the leave function (which does its work once), or null when the socket closed meanwhile. */
    join: (socket: RoomSocket, viewer: Viewer, started: () => void): Promise<(() => void) | null> =>
      join(hub, socket, viewer, started),
    /** Counts a standalone subscription (one that is served on its own) in the room. */
    watch(viewer: Viewer): () => void {
      const room = enter(hub, viewer);
      const counted: Counted = { countsAsViewer: viewer.feed.countsAsViewer, viewerKey: viewer.viewerKey };
      let left = false;
      return () => {
        if (left) return;
        left = true;
        release(hub, room, counted);
      };
    },
    /** Credits this minute's watch XP now (the hub does it once a minute). */
    creditWatch,
    async close() {
      clearInterval(timer);
      clearInterval(heartbeat);
      clearInterval(watchTimer);
      await flushActivity(deps).catch(() => {});
      for (const room of hub.rooms.values()) {
        if (room.flushTimer) clearTimeout(room.flushTimer);
        room.stopBus();
      }
      hub.rooms.clear();
      await deps.presence.leave().catch(() => {});
    },
  };
}

export type RoomHub = ReturnType<typeof createRoomHub>;
