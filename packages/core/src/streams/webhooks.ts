import type { Transaction } from '@app/db/client';
import { livekitWebhookEvents, type Stream, streams, streamViewerSessions } from '@app/db/schema';
import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { CoreDeps } from '../kernel/deps.ts';
import { announce, endStream, goLive, lockStream, type StreamChange } from './lifecycle.ts';

/** How long applied webhook ids are kept to recognise replays; LiveKit retries for minutes, not days. */
export const WEBHOOK_ID_RETENTION_DAYS = 7;
/** Old ids removed per webhook, so pruning never turns one request into a long one. */
const WEBHOOK_PRUNE_BATCH = 100;

export type WebhookOutcome =
  | { outcome: 'applied'; event: string; streamId: string }
  | { outcome: 'ignored'; event: string; reason: string }
  | { outcome: 'duplicate'; event: string };

/** LiveKit's `created_at` is in seconds; a missing one means now. */
function occurredAt(deps: CoreDeps, event: WebhookEvent): Date {
  const seconds = Number(event.createdAt ?? 0n);
  return seconds > 0 ? new Date(seconds * 1000) : deps.clock.now();
}

function roomOf(event: WebhookEvent): string | null {
  return event.room?.name || event.ingressInfo?.roomName || null;
}

/** An event without an id (old servers) is identified by its content. */
async function eventId(event: WebhookEvent): Promise<string> {
  if (event.id) return event.id;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(event.toJsonString()));
  return `sha256:${Buffer.from(digest).toString('hex')}`;
}

/**
 * Applies one verified LiveKit webhook to the stream whose room it concerns. Each event id is applied once
 * (replays are recognised), transitions that no longer apply are ignored (out of order), and an ended stream
 * stays ended.
 */
export async function handleLivekitWebhook(deps: CoreDeps, event: WebhookEvent): Promise<WebhookOutcome> {
  const room = roomOf(event);
  const name = event.event;
  if (!room) return { outcome: 'ignored', event: name, reason: 'no room' };
  const id = await eventId(event);
  const at = occurredAt(deps, event);
  const result = await deps.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(livekitWebhookEvents)
      .values({ id, event: name, roomName: room, occurredAt: at, receivedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: livekitWebhookEvents.id });
    if (!fresh) return { outcome: { outcome: 'duplicate', event: name } as WebhookOutcome, change: null };
    await pruneOldEvents(tx, deps.clock.now());
    const stream = await lockStream(tx, eq(streams.livekitRoom, room));
    if (!stream) return { outcome: ignored(name, 'unknown room'), change: null };
    const change = await apply(tx, stream, event, at);
    if (!change) return { outcome: ignored(name, 'does not apply to the stream now'), change: null };
    return { outcome: { outcome: 'applied', event: name, streamId: stream.id } as WebhookOutcome, change };
  });
  await announce(deps, result.change);
  return result.outcome;
}

const ignored = (event: string, reason: string): WebhookOutcome => ({ outcome: 'ignored', event, reason });

async function pruneOldEvents(tx: Transaction, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - WEBHOOK_ID_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const old = tx
    .select({ id: livekitWebhookEvents.id })
    .from(livekitWebhookEvents)
    .where(lt(livekitWebhookEvents.receivedAt, cutoff))
    .limit(WEBHOOK_PRUNE_BATCH);
  await tx.delete(livekitWebhookEvents).where(inArray(livekitWebhookEvents.id, old));
}

async function apply(
  tx: Transaction,
  stream: Stream,
  event: WebhookEvent,
  at: Date,
): Promise<StreamChange | null> {
  switch (event.event) {
    case 'room_started':
      return goLive(tx, stream, at);
    case 'room_finished': {
      const created = Number(event.room?.creationTime ?? 0n);
      return endStream(tx, stream, at, 'room_finished', created > 0 ? new Date(created * 1000) : null);
    }
    case 'ingress_started':
      // Only the current ingress counts: a reset key's old ingress no longer speaks for the stream.
      return event.ingressInfo?.ingressId === stream.ingressId ? goLive(tx, stream, at) : null;
    case 'ingress_ended': {
      if (event.ingressInfo?.ingressId !== stream.ingressId) return null;
      return endStream(tx, stream, at, event.ingressInfo?.state?.error ? 'ingress_error' : 'ingress_ended');
    }
    case 'participant_joined':
    case 'participant_left':
      return countViewer(tx, stream, event, at);
    default:
      return null;
  }
}

/** `u:{userId}:{nonce}` counts as the user, `g:{nonce}` as one guest; hosts, ingress and bots are not viewers. */
function viewerKeyOf(stream: Stream, identity: string): string | null {
  if (identity.startsWith('g:')) return identity;
  const match = /^u:([0-9a-f-]{36}):/.exec(identity);
  if (!match || match[1] === stream.streamerId) return null;
  return `u:${match[1]}`;
}

/**
 * One participant session (its sid) joins or leaves. A session row makes this idempotent and order-proof: a
 * leave that arrives before its join leaves a row that the late join recognises.
 */
async function countViewer(
  tx: Transaction,
  stream: Stream,
  event: WebhookEvent,
  at: Date,
): Promise<StreamChange | null> {
  const participant = event.participant;
  if (stream.status === 'ended' || !participant?.sid) return null;
  const viewerKey = viewerKeyOf(stream, participant.identity);
  if (!viewerKey) return null;
  const joining = event.event === 'participant_joined';
  const key = and(
    eq(streamViewerSessions.streamId, stream.id),
    eq(streamViewerSessions.participantSid, participant.sid),
  );
  const [session] = await tx.select().from(streamViewerSessions).where(key);
  let newViewer = false;
  if (!session) {
    newViewer = !(await seenBefore(tx, stream.id, viewerKey));
    await tx.insert(streamViewerSessions).values({
      streamId: stream.id,
      participantSid: participant.sid,
      viewerKey,
      joinedAt: joining ? at : null,
      leftAt: joining ? null : at,
    });
  } else if (joining && !session.joinedAt) {
    await tx.update(streamViewerSessions).set({ joinedAt: at }).where(key);
  } else if (!joining && !session.leftAt) {
    await tx.update(streamViewerSessions).set({ leftAt: at }).where(key);
  }
  // Who is watching now is presence's to say (streams/viewers.ts); LiveKit's sessions count unique views.
  if (!newViewer) return null;
  const [row] = await tx
    .update(streams)
    .set({ totalViews: sql`${streams.totalViews} + 1` })
    .where(and(eq(streams.id, stream.id), ne(streams.status, 'ended')))
    .returning();
  return row ? { stream: row } : null;
}

async function seenBefore(tx: Transaction, streamId: string, viewerKey: string): Promise<boolean> {
  const rows = await tx
    .select({ sid: streamViewerSessions.participantSid })
    .from(streamViewerSessions)
    .where(and(eq(streamViewerSessions.streamId, streamId), eq(streamViewerSessions.viewerKey, viewerKey)))
    .limit(1);
  return rows.length > 0;
}
