import { ROOM_ECONOMY, startProjector } from '@app/core';
import { apiConfig, createApp } from './app.ts';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics/metrics.ts';
import { MAX_REQUEST_BODY_BYTES } from './modules/body-limit.ts';
import { clientAddresses } from './modules/http-basics.ts';
import { TRPC_ENDPOINT } from './modules/trpc.ts';
import { trpcWebsocket } from './realtime/index.ts';
import { createRuntime } from './runtime.ts';

/** Opens the runtime and serves HTTP (Elysia) and websockets (Bun) on one port. */
export async function startServer(env: Env, log: Logger) {
  const runtime = await createRuntime(env, log);
  const ws = trpcWebsocket(runtime, apiConfig(env), {
    log,
    trustProxy: env.TRUST_PROXY,
    presenceTtlSeconds: env.PRESENCE_TTL_SECONDS,
    socketCaps: { perUser: env.WS_MAX_SOCKETS_PER_USER, perAddress: env.WS_MAX_SOCKETS_PER_ADDRESS },
  });
  const metrics = createMetrics(runtime, { sockets: () => ws.counts() });
  const app = createApp({ runtime, env, log, metrics });
  const projector =
    env.PROJECTOR_INTERVAL_MS > 0
      ? startProjector(runtime.deps, ROOM_ECONOMY, {
          intervalMs: env.PROJECTOR_INTERVAL_MS,
          onError: (error) => log.error('projector pass failed', { error: (error as Error).message }),
        })
      : null;
  const server = Bun.serve({
    port: env.PORT,
    hostname: env.HOST,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
    fetch(request, server) {
      const address = server.requestIP(request)?.address;
      if (address) clientAddresses.set(request, address);
      const isUpgrade = request.headers.get('upgrade')?.toLowerCase() === 'websocket';
      if (isUpgrade && new URL(request.url).pathname === TRPC_ENDPOINT) return ws.upgrade(request, server);
      return app.handle(request);
    },
    websocket: ws.handler,
  });
  return {
    server,
    runtime,
    /** The websocket room hub (tests credit watch minutes through it). */
    hub: ws.hub,
    url: `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${server.port}`,
    stop: async () => {
      await server.stop(true);
      await projector?.stop();
      metrics.stop();
      await ws.hub.close();
      await runtime.close();
    },
  };
}
