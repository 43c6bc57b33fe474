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
