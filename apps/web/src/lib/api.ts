import { createApiClient } from '@app/api/client';
import { browser } from '$app/env';
import { publicApiUrl } from './env.ts';
import { realtime } from './realtime.svelte.ts';
import { onSessionEnded, onTooManySockets } from './session-ended.ts';

/**
 * The typed API client for the browser. Mutations go through it so the API's Set-Cookie lands in the browser
 * (credentials: 'include'); after one that changes who is signed in, call `refreshAll()`. Subscriptions
 * (`chat.onStream`, `chat.onUser`) share one websocket, opened on the first one; `realtime.state` follows it.
 */
export const api = createApiClient({
  url: `${publicApiUrl}/trpc`,
  // Server-side rendering never subscribes; only the browser gets a websocket.
  ...(browser
    ? { realtime: { onStateChange: (state) => (realtime.state = state), onSessionEnded, onTooManySockets } }
    : {}),
});
