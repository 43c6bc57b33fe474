import type { StreamEvent } from '@app/core';

/** How many recent stored events a room keeps to close the gap between a subscriber's replay and its first frame. */
const RING_SIZE = 512;
/**
 * A room's events of this many milliseconds go out as one frame: at 400 messages a second that is one write per
 * viewer for ~6 messages instead of six, well under what a person can notice.
 */
export const BATCH_MS = 16;

/** One stream's room on this node: who is in it and what it has published. */
export type Room = {
  streamId: string;
  streamerId: string;
  topic: string;
  /** Subscriptions on this node (shared-frame and standalone): the room closes at 0. */
  subscribers: number;
  /**
   * Of those, the ones that count as viewers (not the streamer watching their own stream), by viewer key (a user,
   * or a guest's address) → their subscriptions here: each viewer counts once, however many tabs and subscriptions.
   */
  viewers: Map<string, number>;
  /** Bumped whenever a viewer key arrives or leaves, so that presence is told of the change. */
  viewersVersion: number;
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
  /** The `viewersVersion` presence last heard. */
  reportedVersion: number;
  /** The report to presence under way, if any: one at a time, however many viewers arrive meanwhile. */
  reporting: Promise<void> | null;
  /** The report that starts when the one under way ends: every viewer who arrives meanwhile waits for it. */
  nextReport: Promise<void> | null;
  announced: number | null;
  ready: Promise<void>;
  stopBus: () => void;
};

export function newRoom(streamId: string, streamerId: string): Room {
  return {
    streamId,
    streamerId,
    topic: `room:${streamId}`,
    subscribers: 0,
    viewers: new Map(),
    viewersVersion: 0,
    lastId: 0,
    ring: [],
    pending: [],
    flushTimer: null,
    seq: 0,
    latest: new Map(),
    reportedVersion: 0,
    reporting: null,
    nextReport: null,
    announced: null,
    ready: Promise.resolve(),
    stopBus: () => {},
  };
}

/** Counts one more subscription of `viewerKey` as a viewer of the room. */
export function addViewer(room: Room, viewerKey: string) {
  const held = room.viewers.get(viewerKey) ?? 0;
  room.viewers.set(viewerKey, held + 1);
  if (held === 0) room.viewersVersion += 1;
}

export function removeViewer(room: Room, viewerKey: string) {
  const held = room.viewers.get(viewerKey) ?? 0;
  if (held > 1) {
    room.viewers.set(viewerKey, held - 1);
    return;
  }
  if (room.viewers.delete(viewerKey)) room.viewersVersion += 1;
}

/** Takes the room's pending events to publish as one frame and records them as published; null when none. */
export function takeBatch(room: Room): StreamEvent[] | null {
  room.flushTimer = null;
  const batch = room.pending;
  if (batch.length === 0) return null;
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
  return batch.map((item) => item.event);
}

/**
 * What this node published that a newcomer's arrival did not cover: stored events after `sentUpTo`, then
 * unstored changes published after the snapshot was read (`seqAtSnapshot`).
 */
export function publishedSince(room: Room, sentUpTo: number, seqAtSnapshot: number): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const entry of room.ring) if (entry.eventId > sentUpTo) events.push(entry.event);
  for (const entry of room.latest.values()) if (entry.seq > seqAtSnapshot) events.push(entry.event);
  return events;
}
