import { GENERIC_FAILURE } from '@app/api/client';
import { Elysia } from 'elysia';
import type { TrustProxy } from '../env.ts';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';

/** The client's address, recorded by the Bun server before Elysia sees the request. */
export const clientAddresses = new WeakMap<Request, string>();

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/**
 * The client's address: the peer's, or the first `X-Forwarded-For` hop when the peer is a trusted proxy (the web
 * and admin servers forward their visitors' addresses, so sign-in limits apply per visitor).
 */
export function clientAddress(request: Request, trustProxy: TrustProxy): string | null {
  const peer = clientAddresses.get(request) ?? null;
  const trusted =
    trustProxy === true || (Array.isArray(trustProxy) && peer !== null && trustProxy.includes(peer));
  const forwarded = trusted ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : null;
  return forwarded || peer;
}

/** Each request's id (kept from `x-request-id` when sane), client address and start time. */
export function requestMeta(trustProxy: TrustProxy) {
  return new Elysia({ name: 'request-meta', seed: trustProxy }).derive({ as: 'global' }, ({ request }) => {
    const incoming = request.headers.get('x-request-id');
    return {
      requestId: incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID(),
      clientIp: clientAddress(request, trustProxy),
      startedAt: performance.now(),
    };
  });
}

export type HttpBasicsOptions = {
  origins: readonly string[];
  hsts: boolean;
  trustProxy: TrustProxy;
  log: Logger;
};

/**
 * Security headers, CORS limited to our own apps, the request id header, and one structured log line per
 * request. Preflight requests are answered here. A route's unexpected failure is logged without its query
 * parameters and answered with a plain 500 (Elysia's own answer would be the error's message).
 */
export function httpBasics(options: HttpBasicsOptions) {
  return new Elysia({ name: 'http-basics' })
    .use(requestMeta(options.trustProxy))
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, SECURITY_HEADERS);
      if (options.hsts) set.headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
      const origin = request.headers.get('origin');
      if (origin && options.origins.includes(origin)) {
        set.headers['access-control-allow-origin'] = origin;
        set.headers['access-control-allow-credentials'] = 'true';
        set.headers['access-control-expose-headers'] = 'x-request-id';
      }
      set.headers.vary = 'Origin';
      if (request.method === 'OPTIONS') {
        set.headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
        set.headers['access-control-allow-headers'] = 'content-type, trpc-accept, x-request-id';
        set.headers['access-control-max-age'] = '600';
        set.status = 204;
        return '';
      }
    })
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      if (code !== 'UNKNOWN' && code !== 'INTERNAL_SERVER_ERROR') return;
      options.log.error('request failed', { path: new URL(request.url).pathname, ...describeFailure(error) });
      set.status = 500;
      return { error: GENERIC_FAILURE };
    })
    .onAfterHandle({ as: 'global' }, ({ set, requestId }) => {
      set.headers['x-request-id'] = requestId;
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, requestId, startedAt, clientIp }) => {
      const path = new URL(request.url).pathname;
      options.log.info('request', {
        requestId,
        method: request.method,
        path,
        status: set.status,
        ms: Math.round((performance.now() - startedAt) * 10) / 10,
        ip: clientIp,
      });
    });
}
