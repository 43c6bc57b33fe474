import { type ApiConfig, appRouter, createApiContext } from '@app/api';
import type { Server, WebSocketHandler } from 'bun';
// The ESM build: its CommonJS build loads a second copy of @trpc/server and `tracked()` stops working.
import { type BunWSClientCtx, createBunWSHandler } from 'trpc-bun-adapter/dist/index.mjs';
import type { TrustProxy } from '../env.ts';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import { clientAddress } from './http-basics.ts';

type SocketData = BunWSClientCtx<typeof appRouter>;

/**
 * tRPC over one websocket per browser tab, on the same `/trpc` path. The session comes from the cookie of the
 * upgrade request, which must come from one of our apps' origins.
 */
export function trpcWebsocket(
  runtime: Runtime,
  config: ApiConfig,
  options: { log: Logger; trustProxy: TrustProxy },
) {
  const { log } = options;
  const handler = createBunWSHandler({
    router: appRouter,
    createContext: ({ req }: { req: Request }) =>
      createApiContext({
        deps: runtime.deps,
        config,
        req,
        resHeaders: new Headers(),
        ip: clientAddress(req, options.trustProxy),
        requestId: crypto.randomUUID(),
      }),
    onError: ({ error, path }: { error: { code: string; message: string }; path?: string }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        log.error('ws procedure failed', { path, error: error.message });
    },
  } as never) as WebSocketHandler<SocketData>;

  /** Upgrades `request` when it is a websocket request from an allowed origin; a Response when refused. */
  const upgrade = (request: Request, server: Server<SocketData>): Response | undefined => {
    const origin = request.headers.get('origin');
    if (!origin || !config.allowedOrigins.includes(origin)) {
      return new Response('This websocket did not come from a Lumen page.', { status: 403 });
    }
    if (server.upgrade(request, { data: { req: request } as SocketData })) return undefined;
    return new Response('Websocket upgrade failed.', { status: 400 });
  };

  return { handler, upgrade };
}
