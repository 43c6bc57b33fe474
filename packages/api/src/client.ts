import { createTRPCClient, httpBatchLink, type TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from './root.ts';

export type ApiClientOptions = {
  /** The API's tRPC endpoint, e.g. http://localhost:3000/trpc. */
  url: string;
  /** SvelteKit's `fetch` in loads; the global one in the browser. */
  fetch?: typeof fetch;
  /** Extra headers per request, e.g. the incoming cookie in server-side loads. */
  headers?: () => Record<string, string>;
};

/** The typed client both apps use; it sends the session cookie (credentials: include). */
export function createApiClient(options: ApiClientOptions) {
  const baseFetch = options.fetch ?? fetch;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url,
        transformer: superjson,
        maxURLLength: 4000,
        headers: options.headers ?? (() => ({})),
        fetch: (input, init) => baseFetch(input, { ...init, credentials: 'include' } as RequestInit),
      }),
    ],
  });
}

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
