import { type Stream, streams } from '@app/db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import {
  type CreateIngressOptions,
  type IngressInfo,
  IngressInput,
  IngressVideoEncodingPreset,
  IngressVideoOptions,
} from 'livekit-server-sdk';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { bestEffort, isLivekitNotFound } from './livekit.ts';
import { ingressIdentity } from './media.ts';
import { ingressUnavailable } from './media-status.ts';
import type { CreateIngressInput, IngressPreset } from './schemas.ts';

/** What the studio's OBS tab shows: only ever to the stream's owner. */
export type IngressView = {
  ingressId: string;
  kind: 'rtmp' | 'whip';
  preset: IngressPreset;
  /** The server URL to paste into OBS. */
  url: string;
  streamKey: string;
};

const PRESETS: Record<Exclude<IngressPreset, 'passthrough'>, IngressVideoEncodingPreset> = {
  '540p': IngressVideoEncodingPreset.H264_540P_25FPS_2_LAYERS,
  '720p': IngressVideoEncodingPreset.H264_720P_30FPS_3_LAYERS,
  '1080p': IngressVideoEncodingPreset.H264_1080P_30FPS_3_LAYERS,
  '720p_high_motion': IngressVideoEncodingPreset.H264_720P_30FPS_3_LAYERS_HIGH_MOTION,
  '1080p_high_motion': IngressVideoEncodingPreset.H264_1080P_30FPS_3_LAYERS_HIGH_MOTION,
};

function ingressOptions(stream: Stream, streamerName: string, preset: IngressPreset): CreateIngressOptions {
  const base = {
    name: `stream-${stream.id}`,
    roomName: stream.livekitRoom,
    participantIdentity: ingressIdentity(stream.id),
    participantName: streamerName,
  };
  if (preset === 'passthrough') return { ...base, enableTranscoding: false };
  return {
    ...base,
    enableTranscoding: true,
    video: new IngressVideoOptions({ encodingOptions: { case: 'preset', value: PRESETS[preset] } }),
  };
}

async function ownedOpenStream(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<Stream> {
  const [stream] = await deps.db.select().from(streams).where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  if (stream.streamerId !== viewer.id)
    throw forbidden('Only the streamer can manage this stream’s OBS settings.');
  if (stream.status === 'ended') throw new DomainError('CONFLICT', 'This stream is over. Create a new one.');
  return stream;
}

function toView(stream: Stream): IngressView | null {
  if (!stream.ingressId || !stream.ingressKind || !stream.ingressUrl || !stream.ingressStreamKey) return null;
  return {
    ingressId: stream.ingressId,
    kind: stream.ingressKind,
    preset: (stream.ingressPreset ?? '720p') as IngressPreset,
    url: stream.ingressUrl,
    streamKey: stream.ingressStreamKey,
  };
}

async function createRemote(
  deps: CoreDeps,
  stream: Stream,
  viewer: NonNullable<Viewer>,
  kind: 'rtmp' | 'whip',
  preset: IngressPreset,
): Promise<IngressInfo> {
  const input = kind === 'rtmp' ? IngressInput.RTMP_INPUT : IngressInput.WHIP_INPUT;
  let info: IngressInfo;
  try {
    info = await deps.livekit.ingress.createIngress(
      input,
      ingressOptions(stream, viewer.displayName, preset),
    );
  } catch {
    throw await ingressUnavailable(deps);
  }
  if (!info.ingressId || !info.streamKey || !info.url) throw await ingressUnavailable(deps);
  return info;
}

/**
 * The owner asks for an OBS ingress (RTMP or WHIP) with a quality preset. LiveKit is called outside the database
 * transaction; if another request stored an ingress meanwhile, the one just made is deleted again.
 */
export async function createStreamIngress(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: CreateIngressInput,
): Promise<IngressView> {
  const stream = await ownedOpenStream(deps, viewer, input.streamId);
  if (stream.ingressId) {
    throw new DomainError('CONFLICT', 'This stream already has a stream key. Reset it to get a new one.');
  }
  const info = await createRemote(deps, stream, viewer, input.kind, input.preset);
  const [row] = await deps.db
    .update(streams)
    .set({
      ingressId: info.ingressId,
      ingressKind: input.kind,
      ingressPreset: input.preset,
      ingressUrl: info.url,
      ingressStreamKey: info.streamKey,
    })
    .where(and(eq(streams.id, stream.id), isNull(streams.ingressId)))
    .returning();
  if (!row) {
    await bestEffort(() => deps.livekit.ingress.deleteIngress(info.ingressId));
    throw new DomainError('CONFLICT', 'This stream already has a stream key. Reset it to get a new one.');
  }
  return toView(row)!;
}

/**
 * A new stream key: the old ingress is deleted first, so the old key stops working even if making the new one
 * fails (the stream is then left without a key, and says so).
 */
export async function resetStreamIngress(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<IngressView> {
  const stream = await ownedOpenStream(deps, viewer, streamId);
  const old = toView(stream);
  if (!old) throw notFound('This stream’s stream key');
  try {
    await deps.livekit.ingress.deleteIngress(old.ingressId);
  } catch (error) {
    if (!isLivekitNotFound(error)) throw await ingressUnavailable(deps);
  }
  const cleared = { ingressId: null, ingressUrl: null, ingressStreamKey: null };
  let info: IngressInfo;
  try {
    info = await createRemote(deps, stream, viewer, old.kind, old.preset);
  } catch (error) {
    await deps.db
      .update(streams)
      .set(cleared)
      .where(and(eq(streams.id, stream.id), eq(streams.ingressId, old.ingressId)));
    throw error;
  }
  const [row] = await deps.db
    .update(streams)
    .set({ ingressId: info.ingressId, ingressUrl: info.url, ingressStreamKey: info.streamKey })
    .where(and(eq(streams.id, stream.id), eq(streams.ingressId, old.ingressId)))
    .returning();
  if (!row) {
    await bestEffort(() => deps.livekit.ingress.deleteIngress(info.ingressId));
    throw new DomainError('CONFLICT', 'The stream key changed meanwhile. Reload the page.');
  }
  return toView(row)!;
}

/** The owner's OBS settings, or null before an ingress was created. */
export async function getStreamIngress(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<IngressView | null> {
  const [stream] = await deps.db.select().from(streams).where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  if (stream.streamerId !== viewer.id) throw forbidden('Only the streamer can see this stream’s stream key.');
  return toView(stream);
}
