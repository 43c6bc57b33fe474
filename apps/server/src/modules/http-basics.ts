import { isIP } from 'node:net';
import { GENERIC_FAILURE } from '@app/api/client';
import { Elysia } from 'elysia';
import type { TrustProxy } from '../env.ts';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';

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
 * The client's address. Each proxy appends the address it saw to `X-Forwarded-For`, so only the right-hand end
 * of the header is true: walk from the socket's peer leftwards past the proxies we trust, and the first address
 * we do not trust is the client's. Whatever a client writes itself sits further left and is never read. With
 * `{ hops: n }` the n-th address from the right is taken (clamped to the header's length).
 */
export function clientAddress(request: Request, trustProxy: TrustProxy): string | null {
  const peer = clientAddresses.get(request) ?? null;
  if (trustProxy === false || peer === null) return peer;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  // Right to left: the peer, then each forwarded hop.
  const chain = [peer, ...forwarded.reverse()];
  let index = 0;
  while (index + 1 < chain.length && isTrusted(chain[index]!, index, trustProxy)) {
    if (isIP(chain[index + 1]!) === 0) break;
    index += 1;
  }
  return chain[index]!;
}

/** Whether the hop `index` places from the right (0: the socket's peer) is a proxy we trust. */
function isTrusted(address: string, index: number, trustProxy: Exclude<TrustProxy, false>): boolean {
  if ('hops' in trustProxy) return index < trustProxy.hops;
  return trustProxy.proxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** The request's id: the client's `x-request-id` when it is sane, else a new one. */
export function requestIdOf(request: Request): string {
  const incoming = request.headers.get('x-request-id');
  return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** Each request's id, client address and start time. */
export function requestMeta(trustProxy: TrustProxy) {
  return new Elysia({ name: 'request-meta', seed: trustProxy }).derive({ as: 'global' }, ({ request }) => ({
    requestId: requestIdOf(request),
    clientIp: clientAddress(request, trustProxy),
    startedAt: performance.now(),
  }));
}

/** A request's path, without parsing the whole URL (Bun's `request.url` is absolute). */
export function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const query = url.indexOf('?', start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

export type HttpBasicsOptions = {
  origins: readonly string[];
  hsts: boolean;
  trustProxy: TrustProxy;
  log: Logger;
  /** Counts and times every request (`metrics/metrics.ts`); absent in tests that do not look. */
  metrics?: Pick<Metrics, 'observeRequest'> | null;
};

/** The headers every response carries: security headers, HSTS behind HTTPS, and CORS for our own apps. */
export function responseHeaders(request: Request, options: HttpBasicsOptions): Record<string, string> {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, vary: 'Origin' };
  if (options.hsts) headers['strict-transport-security'] = 'max-age=31536000; includeSubDomains';
  const origin = request.headers.get('origin');
  if (origin && options.origins.includes(origin)) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-credentials'] = 'true';
    headers['access-control-expose-headers'] = 'x-request-id';
  }
  return headers;
}

/** What a CORS preflight (OPTIONS) is answered with, besides `responseHeaders`. */
export const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, trpc-accept, x-request-id',
  'access-control-max-age': '600',
};

/**
 * The one log line per request, and its count and time in the metrics, labelled by `procedures` (the tRPC path,
 * or the route's path).
 */
export function recordRequest(
  options: Pick<HttpBasicsOptions, 'log' | 'metrics'>,
  line: {
    requestId: string;
    method: string;
    path: string;
    procedures: string;
    status: number | string | undefined;
    startedAt: number;
    ip: string | null;
  },
) {
  const ms = performance.now() - line.startedAt;
  options.metrics?.observeRequest(line.procedures, line.method, Number(line.status) || 0, ms / 1000);
  options.log.info('request', {
    requestId: line.requestId,
    method: line.method,
    path: line.path,
    status: line.status,
    ms: Math.round(ms * 10) / 10,
    ip: line.ip,
  });
}

/**
 * The status the client received. A route that answers with its own `Response` (the body limits) sets the status
 * there; `set.status` keeps Elysia's default of 200 for those.
 */
function sentStatus(
  responseValue: unknown,
  setStatus: number | string | undefined,
): number | string | undefined {
  return responseValue instanceof Response ? responseValue.status : setStatus;
}

/**
 * Security headers, CORS limited to our own apps, the request id header, and one structured log line per
 * request, for the routes Elysia serves (tRPC is served before it, with the same pieces: `modules/trpc.ts`).
 * Preflight requests are answered here. A route's unexpected failure is logged without its query parameters and
 * answered with a plain 500 (Elysia's own answer would be the error's message).
 */
export function httpBasics(options: HttpBasicsOptions) {
  return new Elysia({ name: 'http-basics' })
    .use(requestMeta(options.trustProxy))
    .onRequest(({ request, set }) => {
      Object.assign(set.headers, responseHeaders(request, options));
      if (request.method === 'OPTIONS') {
        Object.assign(set.headers, PREFLIGHT_HEADERS);
        set.status = 204;
        return '';
      }
    })
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      if (code !== 'UNKNOWN' && code !== 'INTERNAL_SERVER_ERROR') return;
      options.log.error('request failed', { path: pathOf(request.url), ...describeFailure(error) });
      set.status = 500;
      return { error: GENERIC_FAILURE };
    })
    .onAfterHandle({ as: 'global' }, ({ set, requestId }) => {
      set.headers['x-request-id'] = requestId;
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, responseValue, requestId, startedAt, clientIp }) => {
      const path = pathOf(request.url);
      recordRequest(options, {
        requestId,
        method: request.method,
        path,
        procedures: path,
        status: sentStatus(responseValue, set.status),
        startedAt,
        ip: clientIp,
      });
    });
}
