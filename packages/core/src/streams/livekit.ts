import {
  AccessToken,
  IngressClient,
  RoomServiceClient,
  TwirpError,
  type VideoGrant,
  WebhookReceiver,
} from 'livekit-server-sdk';
import type { LivekitDeps } from '../kernel/ports.ts';

export type LivekitConfig = {
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Where the server reaches LiveKit's Twirp API; the http(s) form of `url` when omitted. */
  apiUrl?: string | undefined;
};

/** What `livekit-server --dev` uses. */
export const LIVEKIT_DEV_DEFAULTS = {
  url: 'ws://localhost:7880',
  apiKey: 'devkey',
  apiSecret: 'secret',
} as const;

/** A request to LiveKit that takes longer than this fails, so a missing media server never hangs a page. */
const API_TIMEOUT_SECONDS = 5;

/** `ws://host` → `http://host`, `wss://host` → `https://host`. */
export function livekitApiUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}

/** A reachability probe gives up after this long: a stream page waits at most this for the answer. */
const PROBE_TIMEOUT_MS = 2_000;
/** How long a probe's answer is reused, so a page view costs at most one probe per interval per node. */
const PROBE_REUSE_MS = 2_000;

export function createLivekit(config: LivekitConfig): LivekitDeps {
  const host = config.apiUrl ?? livekitApiUrl(config.url);
  const options = { requestTimeout: API_TIMEOUT_SECONDS, failover: false };
  return {
    url: config.url,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    rooms: new RoomServiceClient(host, config.apiKey, config.apiSecret, options),
    ingress: new IngressClient(host, config.apiKey, config.apiSecret, options),
    webhooks: new WebhookReceiver(config.apiKey, config.apiSecret),
    reachable: reusedFor(PROBE_REUSE_MS, () => answers(host)),
  };
}

/**
 * Any HTTP answer below 500 from the server's root means LiveKit is there (`livekit-server` says "OK"; a proxy
 * in front of a stopped one says 502). No credentials are needed to ask.
 */
async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(host, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

/** `probe`, asked at most once per `reuseMs`: callers inside that window share the pending or last answer. */
function reusedFor(reuseMs: number, probe: () => Promise<boolean>): () => Promise<boolean> {
  let last: { at: number; answer: Promise<boolean> } | null = null;
  return () => {
    const now = performance.now();
    if (!last || now - last.at >= reuseMs) last = { at: now, answer: probe() };
    return last.answer;
  };
}

export const MEDIA_UNAVAILABLE = 'The media server is unreachable right now. Try again in a moment.';

/** LiveKit answered that the thing does not exist (an ingress deleted already, a room that is gone). */
export function isLivekitNotFound(error: unknown): boolean {
  return error instanceof TwirpError && (error.code === 'not_found' || error.status === 404);
}

/** A LiveKit call whose failure must not undo what was already committed (clean-up after a stream ends). */
export async function bestEffort(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch {
    // The media server may be down; the stream's state in Postgres is already right.
  }
}

/** A signed join token for one room. */
export async function mintToken(
  livekit: LivekitDeps,
  options: { identity: string; name: string; ttlSeconds: number; grant: VideoGrant; metadata?: string },
): Promise<string> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: options.identity,
    name: options.name,
    ttl: options.ttlSeconds,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  token.addGrant(options.grant);
  return token.toJwt();
}
