import type { ApiConfig } from '@app/api';
import { Elysia } from 'elysia';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';
import { health } from './modules/health.ts';
import { httpBasics } from './modules/http-basics.ts';
import { livekitWebhook } from './modules/livekit-webhook.ts';
import { stripeWebhook } from './modules/stripe-webhook.ts';
import { trpcHttp } from './modules/trpc.ts';
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

/** The HTTP side of the server: no business logic, only transport. */
export function createApp({ runtime, env, log }: AppOptions) {
  return new Elysia({ name: 'lumen-server' })
    .use(httpBasics({ origins: env.origins, hsts: env.cookieSecure, trustProxy: env.TRUST_PROXY, log }))
    .use(health(runtime, log))
    .use(stripeWebhook(runtime, log))
    .use(livekitWebhook(runtime, log))
    .use(trpcHttp(runtime, apiConfig(env), { log, trustProxy: env.TRUST_PROXY }))
    .get('/', () => ({ name: 'Lumen API', trpc: '/trpc', health: '/healthz' }));
}

export type App = ReturnType<typeof createApp>;
