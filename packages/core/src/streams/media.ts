import { channelBans, type Stream, streams, users } from '@app/db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { mintToken } from './livekit.ts';
import { gateFor } from './views.ts';

/**
 * Join tokens for a stream's LiveKit room. A token only admits to one room and only for a short while: LiveKit
 * refreshes the token of a participant who is already connected, so a short TTL costs nothing but stops a leaked
 * token from being replayed later.
 */
export const HOST_TOKEN_TTL_SECONDS = 10 * 60;
export const VIEWER_TOKEN_TTL_SECONDS = 5 * 60;

export type MediaToken = {
  /** `ws(s)://` URL for `livekit-client`'s `room.connect(url, token)`. */
  url: string;
  token: string;
  room: string;
  identity: string;
  expiresAt: Date;
  canPublish: boolean;
};

/** The host's participant identity; viewers are `u:{userId}:{nonce}` or `g:{nonce}`. */
export const hostIdentity = (streamerId: string) => `host:${streamerId}`;
export const ingressIdentity = (streamId: string) => `ingress:${streamId}`;

async function loadStream(deps: CoreDeps, streamId: string) {
  const [found] = await deps.db
    .select({ stream: streams, streamerBannedAt: users.bannedAt, streamerName: users.displayName })
    .from(streams)
    .innerJoin(users, eq(users.id, streams.streamerId))
    .where(eq(streams.id, streamId));
  if (!found || found.streamerBannedAt) throw notFound('That stream');
  return found;
}

/** The owner's publish token, for a stream that is not over (joining the room is going live). */
export async function hostToken(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<MediaToken> {
  const { stream } = await loadStream(deps, streamId);
  if (stream.streamerId !== viewer.id) throw forbidden('Only the streamer can broadcast to this stream.');
  if (viewer.bannedAt) throw forbidden('Your account is banned.');
  if (stream.status === 'ended') throw new DomainError('CONFLICT', 'This stream is over. Create a new one.');
  const identity = hostIdentity(viewer.id);
  const token = await mintToken(deps.livekit, {
    identity,
    name: viewer.displayName,
    ttlSeconds: HOST_TOKEN_TTL_SECONDS,
    // Chat goes through our server (it is stored and moderated there), so nobody publishes data packets.
    grant: {
      roomJoin: true,
      room: stream.livekitRoom,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
    },
  });
  return tokenResult(deps, stream, identity, token, HOST_TOKEN_TTL_SECONDS, true);
}

/**
 * A subscribe-only token for a live stream. Visitors get a guest identity; NSFW streams need a signed-in,
 * age-verified viewer; banned viewers (platform or this channel) get nothing.
 */
export async function viewerToken(deps: CoreDeps, viewer: Viewer, streamId: string): Promise<MediaToken> {
  const { stream } = await loadStream(deps, streamId);
  if (viewer?.bannedAt) throw forbidden('Your account is banned.');
  if (stream.status === 'draft' && stream.streamerId !== viewer?.id) throw notFound('That stream');
  if (stream.status !== 'live') throw new DomainError('CONFLICT', 'This stream is not live.');
  const gate = gateFor(viewer, stream.nsfw);
  if (gate === 'sign_in') throw forbidden('This stream is for adults. Sign in and verify your age to watch.');
  if (gate === 'verify_age') throw forbidden('This stream is for adults. Verify your age to watch.');
  if (viewer && (await bannedFromChannel(deps, stream.streamerId, viewer.id))) {
    throw forbidden('The streamer has banned you from their channel.');
  }
  const nonce = crypto.randomUUID().slice(0, 8);
  const identity = viewer ? `u:${viewer.id}:${nonce}` : `g:${crypto.randomUUID()}`;
  const token = await mintToken(deps.livekit, {
    identity,
    name: viewer ? viewer.displayName : 'Guest',
    ttlSeconds: VIEWER_TOKEN_TTL_SECONDS,
    grant: {
      roomJoin: true,
      room: stream.livekitRoom,
      canPublish: false,
      canSubscribe: true,
      canPublishData: false,
      canUpdateOwnMetadata: false,
    },
  });
  return tokenResult(deps, stream, identity, token, VIEWER_TOKEN_TTL_SECONDS, false);
}

/** A channel ban without an end (timeouts only silence chat). */
async function bannedFromChannel(deps: CoreDeps, channelId: string, userId: string): Promise<boolean> {
  const rows = await deps.db
    .select({ userId: channelBans.userId })
    .from(channelBans)
    .where(
      and(
        eq(channelBans.channelId, channelId),
        eq(channelBans.userId, userId),
        isNull(channelBans.expiresAt),
      ),
    );
  return rows.length > 0;
}

function tokenResult(
  deps: CoreDeps,
  stream: Stream,
  identity: string,
  token: string,
  ttlSeconds: number,
  canPublish: boolean,
): MediaToken {
  return {
    url: deps.livekit.url,
    token,
    room: stream.livekitRoom,
    identity,
    expiresAt: new Date(deps.clock.now().getTime() + ttlSeconds * 1000),
    canPublish,
  };
}
