import type { Transaction } from '@app/db/client';
import { type Stream, streams, streamViewerSessions } from '@app/db/schema';
import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { announceReadsChanged } from '../events/reads.ts';
import { publishToRoom, type StreamStateEvent } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notifyFollowersLive } from '../notifications/go-live.ts';
import { bestEffort } from './livekit.ts';

/**
 * The stream state machine: draft → live → ended. `ended` is final: nothing brings a stream back, so a late or
 * replayed webhook cannot resurrect it. Every transition runs inside the caller's transaction on a locked row;
 * announcements go out after commit (`announce`).
 */

/** A newer stream outranks an older one with ten times its viewers once per interval. */
export const TRENDING_INTERVAL_SECONDS = 4 * 60 * 60;

/** The trending score in SQL, for updates that change viewers or the start time. */
export function trendingScoreSql(viewers: SQL | number, startedAt: SQL | Date | null): SQL {
  const started = startedAt instanceof Date ? sql`${startedAt.toISOString()}::timestamptz` : startedAt;
  return sql`(log((1 + ${viewers})::float8) + coalesce(extract(epoch from ${started})::float8, 0) / ${TRENDING_INTERVAL_SECONDS})`;
}

/** The same score in JavaScript (seeding, benchmarks). */
export function trendingScore(viewers: number, startedAt: Date | null): number {
  return Math.log10(1 + viewers) + (startedAt ? startedAt.getTime() / 1000 : 0) / TRENDING_INTERVAL_SECONDS;
}

export type EndReason = 'stopped' | 'room_finished' | 'ingress_ended' | 'ingress_error';

/** What a use case changed, so it can announce it after commit. */
export type StreamChange = {
  stream: Stream;
  wentLive?: boolean;
  ended?: boolean;
  /** Set when the stream ended: the LiveKit resources to release (room, ingress). */
  release?: { room: boolean; ingressId: string | null };
};

export async function lockStream(tx: Transaction, where: SQL): Promise<Stream | undefined> {
  const [row] = await tx.select().from(streams).where(where).for('update');
  return row;
}

/**
 * draft → live at `at`. A start that arrives after the stream already ended (out of order) only fills in the
 * missing start time; it never makes the stream live again.
 */
export async function goLive(tx: Transaction, stream: Stream, at: Date): Promise<StreamChange | null> {
  if (stream.status === 'draft') {
    const [row] = await tx
      .update(streams)
      .set({
        status: 'live',
        startedAt: at,
        endedAt: null,
        trendingScore: trendingScoreSql(sql`${streams.currentViewers}`, at),
      })
      .where(and(eq(streams.id, stream.id), eq(streams.status, 'draft')))
      .returning();
    return row ? { stream: row, wentLive: true } : null;
  }
  if (stream.status === 'ended' && !stream.startedAt && stream.endedAt && at <= stream.endedAt) {
    const [row] = await tx
      .update(streams)
      .set({ startedAt: at })
      .where(eq(streams.id, stream.id))
      .returning();
    return row ? { stream: row } : null;
  }
  return null;
}

/**
 * live (or draft) → ended at `at`. An end older than the current start belongs to an earlier room session and is
 * ignored. Viewer sessions still open are closed; the ingress key is forgotten (its ingress is deleted after
 * commit).
 */
export async function endStream(
  tx: Transaction,
  stream: Stream,
  at: Date,
  reason: EndReason,
  startedAtIfUnknown: Date | null = null,
): Promise<StreamChange | null> {
  if (stream.status === 'ended') return null;
  if (stream.startedAt && Math.floor(at.getTime() / 1000) < Math.floor(stream.startedAt.getTime() / 1000)) {
    return null;
  }
  const startedAt = stream.startedAt ?? startedAtIfUnknown;
  const endedAt = startedAt && at < startedAt ? startedAt : at;
  const [row] = await tx
    .update(streams)
    .set({
      status: 'ended',
      startedAt,
      endedAt,
      endedReason: reason,
      currentViewers: 0,
      ingressId: null,
      ingressUrl: null,
      ingressStreamKey: null,
    })
    .where(and(eq(streams.id, stream.id), ne(streams.status, 'ended')))
    .returning();
  if (!row) return null;
  await tx
    .update(streamViewerSessions)
    .set({ leftAt: endedAt })
    .where(and(eq(streamViewerSessions.streamId, stream.id), isNull(streamViewerSessions.leftAt)));
  return {
    stream: row,
    ended: true,
    release: { room: reason !== 'room_finished', ingressId: stream.ingressId },
  };
}

export function stateEvent(stream: Stream, reason: string | null = null): StreamStateEvent {
  return {
    type: 'stream.state',
    streamId: stream.id,
    status: stream.status,
    startedAt: stream.startedAt?.toISOString() ?? null,
    endedAt: stream.endedAt?.toISOString() ?? null,
    reason: reason ?? stream.endedReason,
  };
}

/** After commit: tells the stream's audience, the streamer's followers, and LiveKit what changed. */
export async function announce(deps: CoreDeps, change: StreamChange | null): Promise<void> {
  if (!change) return;
  const { stream } = change;
  if (change.wentLive || change.ended) {
    await publishToRoom(deps.bus, stream.id, stateEvent(stream));
    // Listings, category counts and region stats show it (or stop showing it) at once, on every node.
    await announceReadsChanged(deps, ['streams']);
  }
  if (change.wentLive) await notifyFollowersLive(deps, stream);
  if (change.release) {
    const { livekit } = deps;
    const { ingressId } = change.release;
    if (change.release.room) await bestEffort(() => livekit.rooms.deleteRoom(stream.livekitRoom));
    if (ingressId) await bestEffort(() => livekit.ingress.deleteIngress(ingressId));
  }
}
