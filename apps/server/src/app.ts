import type { ApiConfig } from '@app/api';
import { Elysia } from 'elysia';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';
import { health } from './modules/health.ts';
import { httpBasics } from './modules/http-basics.ts';
import { livekitWebhook } from './modules/livekit-webhook.ts';
import { stripeWebhook } from './modules/stripe-webhook.ts';
import { isTrpcRequest, trpcHandler } from './modules/trpc.ts';
import type { Runtime } from './runtime.ts';

export type AppOptions = {
  runtime: Runtime;
  env: Pick<Env, 'origins' | 'cookieSecure' | 'COOKIE_DOMAIN' | 'TRUST_PROXY'>;
  log: Logger;
};

export function apiConfig(env: AppOptions['env']): ApiConfig {
  return {
    allowedOrigins: env.origins,
    cookie: { secure: env.cookieSecure, ...(env.COOKIE_DOMAIN ? { domain: env.COOKIE_DOMAIN } : {}) },
  };
}

/**
 * The HTTP side of the server: no business logic, only transport. tRPC calls go straight to their handler; the
 * other routes (health, webhooks) to Elysia.
 */
export function createApp({ runtime, env, log }: AppOptions) {
  const basics = { origins: env.origins, hsts: env.cookieSecure, trustProxy: env.TRUST_PROXY, log };
  const trpc = trpcHandler(runtime, apiConfig(env), basics);
  const routes = new Elysia({ name: 'lumen-server' })
    .use(httpBasics(basics))
    .use(health(runtime, log))
    .use(stripeWebhook(runtime, log))
    .use(livekitWebhook(runtime, log))
    .get('/', () => ({ name: 'Lumen API', trpc: '/trpc', health: '/healthz' }));
  return {
    handle: (request: Request): Promise<Response> =>
      isTrpcRequest(request.url) ? trpc(request) : routes.handle(request),
  };
}

export type App = ReturnType<typeof createApp>;
