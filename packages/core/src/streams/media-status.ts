import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError } from '../kernel/errors.ts';
import { MEDIA_UNAVAILABLE } from './livekit.ts';

/**
 * Whether video can flow for a stream right now, as the studio and the player need to know before they try:
 * `videoAvailable` is false while no media server answers, and `reason` then says why (in development, also how
 * to start one). It says nothing about whether the streamer is publishing.
 */
export type StreamMedia = { videoAvailable: boolean; reason: string | null };

/** How a developer gets a media server: the same words in the API, the studio, the player and the README. */
export const START_LIVEKIT_HINT =
  'Start it with `livekit-server --dev` (install it with `curl -sSL https://get.livekit.io | bash`, or from https://github.com/livekit/livekit/releases)';

/** Development: the stream is live for chat, tips and goals without video. */
export const NO_MEDIA_SERVER_DEV = `The media server (LiveKit) is not running, so no video is being sent; chat, tips and goals work. ${START_LIVEKIT_HINT}, then reload the page.`;

/** Development: an OBS stream key is made by the media server, so there is nothing to create without one. */
export const NO_MEDIA_SERVER_FOR_INGRESS = `OBS stream keys come from the media server (LiveKit), which is not running. ${START_LIVEKIT_HINT}, then try again.`;

/** Development: LiveKit answers but could not make an ingress (its ingress service is not running). */
export const NO_INGRESS_SERVICE =
  'The media server could not make a stream key: OBS needs LiveKit’s ingress service too (`docker compose up` runs it, see docker/livekit/ingress.yaml). Go live from the browser meanwhile.';

export async function mediaStatus(deps: CoreDeps): Promise<StreamMedia> {
  if (await deps.livekit.reachable()) return { videoAvailable: true, reason: null };
  return {
    videoAvailable: false,
    reason: deps.streams.liveWithoutMedia ? NO_MEDIA_SERVER_DEV : MEDIA_UNAVAILABLE,
  };
}

/** The refusal for a LiveKit call that failed while making a stream key: in development, what to start. */
export async function ingressUnavailable(deps: CoreDeps): Promise<DomainError> {
  if (!deps.streams.liveWithoutMedia) return new DomainError('UNAVAILABLE', MEDIA_UNAVAILABLE);
  const up = await deps.livekit.reachable();
  return new DomainError('UNAVAILABLE', up ? NO_INGRESS_SERVICE : NO_MEDIA_SERVER_FOR_INGRESS);
}
