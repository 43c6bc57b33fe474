import type { ApiConfig } from '@app/api';
import { Elysia } from 'elysia';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics/metrics.ts';
import { health } from './modules/health.ts';
import { httpBasics } from './modules/http-basics.ts';
import { livekitWebhook } from './modules/livekit-webhook.ts';
import { metricsRoute } from './modules/metrics-route.ts';
import { stripeWebhook } from './modules/stripe-webhook.ts';
import { isTrpcRequest, trpcHandler } from './modules/trpc.ts';
import type { Runtime } from './runtime.ts';

export type AppOptions = {
  runtime: Runtime;
  env: Pick<
    Env,
    'origins' | 'cookieSecure' | 'COOKIE_DOMAIN' | 'TRUST_PROXY' | 'METRICS_ALLOW' | 'METRICS_TOKEN'
  >;
  log: Logger;
  /** The node's metrics: every request is counted and timed, and `/metrics` serves them. */
  metrics?: Metrics;
};

export function apiConfig(env: AppOptions['env']): ApiConfig {
  return {
    allowedOrigins: env.origins,
    cookie: { secure: env.cookieSecure, ...(env.COOKIE_DOMAIN ? { domain: env.COOKIE_DOMAIN } : {}) },
  };
}

/**
 * The HTTP side of the server: no business logic, only transport. tRPC calls go straight to their handler; the
 * other routes (health, webhooks, metrics) to Elysia.
 */
export function createApp({ runtime, env, log, metrics }: AppOptions) {
  const basics = {
    origins: env.origins,
    hsts: env.cookieSecure,
    trustProxy: env.TRUST_PROXY,
    log,
    metrics: metrics ?? null,
  };
  const trpc = trpcHandler(runtime, apiConfig(env), basics);
  const routes = new Elysia({ name: 'lumen-server' })
    .use(httpBasics(basics))
    .use(health(runtime, log))
    .use(stripeWebhook(runtime, log))
    .use(livekitWebhook(runtime, log))
    .use(
      metrics
        ? metricsRoute(metrics, {
            allow: env.METRICS_ALLOW,
            token: env.METRICS_TOKEN,
            trustProxy: env.TRUST_PROXY,
          })
        : new Elysia(),
    )
    .get('/', () => ({ name: 'Lumen API', trpc: '/trpc', health: '/healthz' }));
  return {
    handle: (request: Request): Promise<Response> =>
      isTrpcRequest(request.url) ? trpc(request) : routes.handle(request),
  };
}

export type App = ReturnType<typeof createApp>;
