import { type ApiConfig, appRouter, createApiContext, MAX_BATCH_CALLS } from '@app/api';
import { GENERIC_FAILURE } from '@app/api/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describeFailure } from '../failure.ts';
import type { Runtime } from '../runtime.ts';
import { bodyTooLarge, TRPC_BODY_LIMIT_BYTES, withinBodyLimit } from './body-limit.ts';
import {
  clientAddress,
  type HttpBasicsOptions,
  PREFLIGHT_HEADERS,
  pathOf,
  recordRequest,
  requestIdOf,
  responseHeaders,
} from './http-basics.ts';
import { sharedAnswer, visitorShare } from './visitor-reads.ts';

export const TRPC_ENDPOINT = '/trpc';
const TRPC_PREFIX = `${TRPC_ENDPOINT}/`;

/** Whether a request is a tRPC call over HTTP (`/trpc/<procedure>`), from its absolute URL. */
export function isTrpcRequest(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return start >= 0 && url.startsWith(TRPC_PREFIX, start);
}

/**
 * A batch of more calls than `MAX_BATCH_CALLS` is refused with 400 before any call runs; the typed client never
 * sends one.
 */
function batchTooLarge(url: string, path: string): Response | null {
  if (!/[?&]batch=1(&|$)/.test(url)) return null;
  const calls = path.slice(TRPC_PREFIX.length).split(',').length;
  if (calls <= MAX_BATCH_CALLS) return null;
  return Response.json(
    { error: `At most ${MAX_BATCH_CALLS} calls can go in one request; this one has ${calls}.` },
    { status: 400 },
  );
}

/**
 * tRPC over HTTP at /trpc (batching on, at most `MAX_BATCH_CALLS` calls and `TRPC_BODY_LIMIT_BYTES` per request),
 * served before Elysia's router: a call needs none of its routing, and measured here Elysia's per-request path
 * handling alone took a fifth of a call's CPU. The same pieces as every other route still apply (`http-basics.ts`:
 * security headers, CORS and preflight, the request id, one log line); unexpected errors are logged with the
 * request id and answered with a plain 500.
 */
export function trpcHandler(runtime: Runtime, config: ApiConfig, options: HttpBasicsOptions) {
  const { log, trustProxy } = options;

  const call = async (request: Request, path: string, requestId: string, ip: string | null) => {
    const tooMany = batchTooLarge(request.url, path);
    if (tooMany) return tooMany;
    const bounded = await withinBodyLimit(request, TRPC_BODY_LIMIT_BYTES);
    if (!bounded) return bodyTooLarge(TRPC_BODY_LIMIT_BYTES);
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: bounded,
      router: appRouter,
      allowBatching: true,
      createContext: ({ req, resHeaders }) =>
        createApiContext({ deps: runtime.deps, config, req, resHeaders, ip, requestId }),
      onError: ({ error, path: procedure }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          log.error('procedure failed', { requestId, path: procedure, ...describeFailure(error) });
        }
      },
    });
  };

  return async (request: Request): Promise<Response> => {
    const startedAt = performance.now();
    const requestId = requestIdOf(request);
    const ip = clientAddress(request, trustProxy);
    const path = pathOf(request.url);
    let response: Response;
    if (request.method === 'OPTIONS') {
      response = new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });
    } else if (request.method !== 'GET' && request.method !== 'POST') {
      response = Response.json({ error: 'tRPC calls are GET or POST.' }, { status: 405 });
    } else {
      try {
        const shared = runtime.deps.reads ? visitorShare(request, path.slice(TRPC_PREFIX.length)) : null;
        response = shared
          ? await sharedAnswer(runtime.deps, request, shared, () => call(request, path, requestId, ip))
          : await call(request, path, requestId, ip);
      } catch (error) {
        log.error('request failed', { requestId, path, ...describeFailure(error) });
        response = Response.json({ error: GENERIC_FAILURE }, { status: 500 });
      }
    }
    const headers = responseHeaders(request, options);
    for (const name in headers) response.headers.set(name, headers[name]!);
    response.headers.set('x-request-id', requestId);
    recordRequest(options, {
      requestId,
      method: request.method,
      path,
      procedures: path.slice(TRPC_PREFIX.length),
      status: response.status,
      startedAt,
      ip,
    });
    return response;
  };
}
