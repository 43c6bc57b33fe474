import { type ApiConfig, appRouter, createApiContext, MAX_BATCH_CALLS } from '@app/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Elysia } from 'elysia';
import type { TrustProxy } from '../env.ts';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import { bodyTooLarge, TRPC_BODY_LIMIT_BYTES, withinBodyLimit } from './body-limit.ts';
import { requestMeta } from './http-basics.ts';

export const TRPC_ENDPOINT = '/trpc';

/**
 * A batch of more calls than `MAX_BATCH_CALLS` is refused with 400 before any call runs; the typed client never
 * sends one.
 */
function batchTooLarge(request: Request): Response | null {
  const url = new URL(request.url);
  if (url.searchParams.get('batch') !== '1') return null;
  const calls = url.pathname.slice(TRPC_ENDPOINT.length + 1).split(',').length;
  if (calls <= MAX_BATCH_CALLS) return null;
  return Response.json(
    { error: `At most ${MAX_BATCH_CALLS} calls can go in one request; this one has ${calls}.` },
    { status: 400 },
  );
}

/**
 * tRPC over HTTP at /trpc (batching on, at most `MAX_BATCH_CALLS` calls and `TRPC_BODY_LIMIT_BYTES` per request);
 * unexpected errors are logged with the request id.
 */
export function trpcHttp(
  runtime: Runtime,
  config: ApiConfig,
  options: { log: Logger; trustProxy: TrustProxy },
) {
  const { log } = options;
  const handle = async ({
    request,
    requestId,
    clientIp,
  }: {
    request: Request;
    requestId: string;
    clientIp: string | null;
  }) => {
    const tooMany = batchTooLarge(request);
    if (tooMany) return tooMany;
    const bounded = await withinBodyLimit(request, TRPC_BODY_LIMIT_BYTES);
    if (!bounded) return bodyTooLarge(TRPC_BODY_LIMIT_BYTES);
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: bounded,
      router: appRouter,
      allowBatching: true,
      createContext: ({ req, resHeaders }) =>
        createApiContext({ deps: runtime.deps, config, req, resHeaders, ip: clientIp, requestId }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          log.error('procedure failed', { requestId, path, ...describeFailure(error) });
        }
      },
    });
  };
  return new Elysia({ name: 'trpc-http' })
    .use(requestMeta(options.trustProxy))
    .get(`${TRPC_ENDPOINT}/*`, handle)
    .post(`${TRPC_ENDPOINT}/*`, handle, { parse: 'none' });
}
