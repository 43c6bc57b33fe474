import { SOCKET_CLOSE } from '@app/core/browser';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClientError,
  type TRPCLink,
  wsLink,
} from '@trpc/client';
import { sharedRoomEncoder } from './room-channel.ts';
import type { AppRouter } from './root.ts';
import { transformer } from './transformer.ts';
import { MAX_BATCH_CALLS } from './transport-limits.ts';

export type ApiClientOptions = {
  /** The API's tRPC endpoint, e.g. http://localhost:3000/trpc. */
  url: string;
  /** SvelteKit's `fetch` in loads; the global one in the browser. */
  fetch?: typeof fetch;
  /** Extra headers per request, e.g. the incoming cookie in server-side loads. */
  headers?: () => Record<string, string>;
  /**
   * Subscriptions (`chat.onStream`, `chat.onUser`) over one websocket to the same endpoint, opened on the first
   * subscription and reconnected (with resume) when it drops. Browsers only.
   */
  realtime?: {
    onStateChange?: (state: 'connecting' | 'open' | 'reconnecting') => void;
    /** The server closed the socket because its session ended (logout elsewhere, password change, expiry, ban). */
    onSessionEnded?: () => void;
    /** The server refused the socket: this person (or address) already has as many open as it admits. */
    onTooManySockets?: () => void;
    /** Defaults to the global WebSocket. */
    WebSocket?: typeof WebSocket;
  };
};

/** The typed client both apps use; it sends the session cookie (credentials: include). */
export function createApiClient(options: ApiClientOptions) {
  const baseFetch = options.fetch ?? fetch;
  const http = httpBatchLink({
    url: options.url,
    transformer,
    maxURLLength: 4000,
    maxItems: MAX_BATCH_CALLS,
    headers: options.headers ?? (() => ({})),
    fetch: (input, init) => baseFetch(input, { ...init, credentials: 'include' } as RequestInit),
  });
  return createTRPCClient<AppRouter>({
    links: options.realtime ? [realtimeLink(options.url, options.realtime, http)] : [http],
  });
}

/** Subscriptions over the websocket, everything else over HTTP. */
function realtimeLink(
  url: string,
  realtime: NonNullable<ApiClientOptions['realtime']>,
  http: TRPCLink<AppRouter>,
): TRPCLink<AppRouter> {
  const ws = createWSClient({
    url: url.replace(/^http/, 'ws'),
    lazy: { enabled: true, closeMs: 10_000 },
    keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 },
    retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 10_000) * (0.75 + Math.random() / 2),
    experimental_encoder: sharedRoomEncoder(),
    onClose: (cause) => {
      if (cause?.code === SOCKET_CLOSE.sessionEnded) realtime.onSessionEnded?.();
      if (cause?.code === SOCKET_CLOSE.tooManySockets) realtime.onTooManySockets?.();
    },
    ...(realtime.WebSocket ? { WebSocket: realtime.WebSocket } : {}),
  });
  ws.connectionState.subscribe({
    next: (state) => {
      if (state.state === 'pending') realtime.onStateChange?.('open');
      else if (state.state === 'connecting') {
        realtime.onStateChange?.(state.error ? 'reconnecting' : 'connecting');
      }
    },
  });
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: wsLink<AppRouter>({ client: ws, transformer }),
    false: http,
  });
}

export {
  parseRoomChannelId,
  ROOM_PROCEDURE_PATH,
  type RoomChannelId,
  roomChannelId,
  sharedRoomEncoder,
} from './room-channel.ts';

export type ApiClient = ReturnType<typeof createApiClient>;
export type ApiError = TRPCClientError<AppRouter>;
export type { AppRouter, RouterInputs, RouterOutputs } from './root.ts';

export const DEFAULT_API_URL = 'http://localhost:3000';

/**
 * Validates an API base URL from the environment: an http(s) URL, returned without a trailing slash; anything
 * else throws a sentence naming the variable. Empty means the local default.
 */
export function parseApiUrl(name: string) {
  return (value: string | undefined): string => {
    const raw = value?.trim() || DEFAULT_API_URL;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`${name} must be a URL like ${DEFAULT_API_URL}, but it is "${raw}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${name} must start with http:// or https://, but it is "${raw}".`);
    }
    return raw.replace(/\/+$/, '');
  };
}

/** The domain's limits, reactions, refusal reasons and wording the apps show, so neither keeps its own copy. */
export {
  CHAT_LIMITS,
  CHAT_REACTIONS,
  type ChatReaction,
  formatDuration,
  REFUSAL_REASONS,
  REPORT_LIMITS,
  REPORT_REASONS,
  type RefusalReason,
  type ReportReason,
  SESSION_COOKIE_NAME,
  SOCKET_CLOSE,
  STAFF_LIMITS,
  STREAM_LIMITS,
  TIP_NOTE_MAX,
  USER_LIMITS,
} from '@app/core/browser';
/** The level curve's leagues, for badges in the league's colour. */
export { LEAGUES, leagueOf, MAX_LEVEL } from '@app/core/levels';
export { GENERIC_FAILURE } from './failure-messages.ts';
export { type ApiErrorCode, type ApiProblem, readApiError } from './read-api-error.ts';
