import { type ApiConfig, appRouter, createApiContext } from '@app/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Elysia } from 'elysia';
import type { TrustProxy } from '../env.ts';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import { requestMeta } from './http-basics.ts';

export const TRPC_ENDPOINT = '/trpc';

/** tRPC over HTTP at /trpc (batching on); unexpected errors are logged with the request id. */
export function trpcHttp(
  runtime: Runtime,
  config: ApiConfig,
  options: { log: Logger; trustProxy: TrustProxy },
) {
  const { log } = options;
  const handle = ({
    request,
    requestId,
    clientIp,
  }: {
    request: Request;
    requestId: string;
    clientIp: string | null;
  }) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: request,
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
  return new Elysia({ name: 'trpc-http' })
    .use(requestMeta(options.trustProxy))
    .get(`${TRPC_ENDPOINT}/*`, handle)
    .post(`${TRPC_ENDPOINT}/*`, handle, { parse: 'none' });
}
