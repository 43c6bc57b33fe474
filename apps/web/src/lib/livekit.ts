import type { Room } from 'livekit-client';

/**
 * How long a player or the studio waits for the media server before saying it is unreachable. livekit-client
 * gives up on a refused socket at once, but a silently dropped one would otherwise leave a spinner forever.
 */
export const MEDIA_CONNECT_TIMEOUT_MS = 10_000;

/** The sentence every page shows when no LiveKit server answers (the API hands out tokens regardless). */
export const MEDIA_UNREACHABLE_MESSAGE = 'The media server is unreachable.';

/** What the studio and the player say when the API reports no media server (`StreamView.media`). */
export const NO_VIDEO_MESSAGE = 'No video is being sent.';

/** A piece of the API's media sentence: commands come between backticks and are shown as code. */
export interface TextPiece {
  text: string;
  code: boolean;
}

/** "Start it with `livekit-server --dev`" → plain text, then the command as code. */
export function codePieces(sentence: string): TextPiece[] {
  return sentence
    .split('`')
    .map((text, index) => ({ text, code: index % 2 === 1 }))
    .filter((piece) => piece.text !== '');
}

/**
 * Why media did not work: `unreachable` (no LiveKit server answered), `refused` (it answered but would not
 * admit this token), `unsupported` (this browser cannot do WebRTC), `cancelled` (we hung up ourselves), `failed`.
 */
export type MediaProblemKind = 'unreachable' | 'refused' | 'unsupported' | 'cancelled' | 'failed';

export interface MediaProblem {
  kind: MediaProblemKind;
  /** A sentence a person understands. */
  message: string;
}

/** Raised when the media server has not answered within MEDIA_CONNECT_TIMEOUT_MS. */
export class MediaTimeoutError extends Error {
  override readonly name = 'MediaTimeoutError';
}

/** livekit-client's ConnectionError reasons (its `reasonName`) that mean nobody is listening at the URL. */
const UNREACHABLE_REASONS = new Set([
  'ServerUnreachable',
  'WebSocket',
  'Timeout',
  'InternalError',
  'ServiceNotFound',
]);

function field(error: unknown, key: string): unknown {
  return error && typeof error === 'object' ? (error as Record<string, unknown>)[key] : undefined;
}

/** Turns what `room.connect` (or our timeout) throws into a kind and a sentence; never a stack. */
export function describeMediaError(error: unknown): MediaProblem {
  const name = field(error, 'name');
  if (error instanceof MediaTimeoutError) return { kind: 'unreachable', message: MEDIA_UNREACHABLE_MESSAGE };
  if (name === 'ConnectionError') {
    const reason = field(error, 'reasonName');
    if (reason === 'Cancelled') return { kind: 'cancelled', message: 'The connection was closed.' };
    if (reason === 'NotAllowed')
      return {
        kind: 'refused',
        message: 'The media server turned this pass down. Reload the page to get a fresh one.',
      };
    if (typeof reason !== 'string' || UNREACHABLE_REASONS.has(reason))
      return { kind: 'unreachable', message: MEDIA_UNREACHABLE_MESSAGE };
  }
  if (name === 'UnsupportedServer') return { kind: 'unreachable', message: MEDIA_UNREACHABLE_MESSAGE };
  if (name === 'DeviceUnsupportedError' || !webRtcAvailable())
    return {
      kind: 'unsupported',
      message: 'This browser can’t play live video (WebRTC). Try a recent Chrome, Firefox, Safari or Edge.',
    };
  return { kind: 'failed', message: 'The video connection failed. Try again in a moment.' };
}

export function webRtcAvailable(): boolean {
  return typeof globalThis.RTCPeerConnection === 'function';
}

/** livekit-client only in the browser, and only on pages that play or publish video. */
export function loadLivekit(): Promise<typeof import('livekit-client')> {
  return import('livekit-client');
}

/** `room.connect`, given up after `timeoutMs` (the room is then disconnected, so it stops retrying). */
export async function connectRoom(
  room: Room,
  url: string,
  token: string,
  timeoutMs = MEDIA_CONNECT_TIMEOUT_MS,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaTimeoutError('The media server did not answer.')), timeoutMs);
  });
  try {
    await Promise.race([room.connect(url, token), timeout]);
  } catch (error) {
    await room.disconnect().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const QUALITY_LABELS: Record<string, string> = {
  excellent: 'Excellent',
  good: 'Good',
  poor: 'Poor',
  lost: 'Connection lost',
};

/** livekit-client's ConnectionQuality ('excellent' | 'good' | 'poor' | 'lost' | 'unknown') for people. */
export function qualityLabel(quality: string): string {
  return QUALITY_LABELS[quality] ?? 'Measuring…';
}

/** "2.4 Mbps", "640 kbps"; null before the first measurement. */
export function formatBitrate(bitsPerSecond: number | null): string | null {
  if (bitsPerSecond === null || !Number.isFinite(bitsPerSecond) || bitsPerSecond <= 0) return null;
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbps`;
  return `${Math.round(bitsPerSecond / 1000)} kbps`;
}
