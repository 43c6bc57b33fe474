import { appRouter, type ProcedureMeta, readCookie } from '@app/api';
import { type CoreDeps, cachedRead, type PublicChange, SESSION_COOKIE_NAME } from '@app/core';

/** The procedures every visitor gets the same answer to, with what changes it (their `meta`). */
const SHARED: Map<string, readonly PublicChange[]> = new Map(
  Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>,
  ).flatMap(([path, procedure]) => {
    const changes = procedure._def.meta?.sharedWithVisitors;
    return changes ? [[path, changes] as const] : [];
  }),
);

/** The query parameters a tRPC GET carries; a request with any other is not shared (nor can it grow the cache). */
const TRPC_PARAMS = new Set(['input', 'batch']);

/**
 * What a request's answer depends on when it can be shared among visitors: a GET without a session cookie whose
 * every call (`/trpc/a,b?batch=1`) declares `sharedWithVisitors`; null for anything else.
 */
export function visitorShare(request: Request, procedures: string): readonly PublicChange[] | null {
  if (request.method !== 'GET') return null;
  if (readCookie(request.headers.get('cookie'), SESSION_COOKIE_NAME) !== null) return null;
  const changes = new Set<PublicChange>();
  for (const path of procedures.split(',')) {
    const shared = SHARED.get(path);
    if (!shared) return null;
    for (const change of shared) changes.add(change);
  }
  const query = request.url.indexOf('?');
  if (query >= 0) {
    for (const name of new URLSearchParams(request.url.slice(query + 1)).keys()) {
      if (!TRPC_PARAMS.has(name)) return null;
    }
  }
  return [...changes];
}

type Answer = { status: number; headers: [string, string][]; body: string };

/** An answer that is not shared (anything but a 200): every caller waiting on the same load gets it once. */
class NotShared extends Error {
  constructor(readonly answer: Answer) {
    super('not shared');
  }
}

const toResponse = (answer: Answer) =>
  new Response(answer.body, { status: answer.status, headers: answer.headers });

/**
 * A visitors' read answered from the node's read cache (`cachedRead`, keyed by the request's path and query, so
 * by procedure and input): the first caller's response body is kept for about a second and until a change it
 * depends on is announced, and the visitors who ask meanwhile get the same bytes without tRPC, the database or a
 * serializer running again. Only a 200 is kept.
 */
export async function sharedAnswer(
  deps: CoreDeps,
  request: Request,
  changes: readonly PublicChange[],
  produce: () => Promise<Response>,
): Promise<Response> {
  const query = request.url.indexOf('/', request.url.indexOf('//') + 2);
  try {
    return toResponse(
      await cachedRead(deps, `http:${request.url.slice(query)}`, changes, async () => {
        const response = await produce();
        const answer: Answer = {
          status: response.status,
          headers: [...response.headers],
          body: await response.text(),
        };
        if (response.status !== 200) throw new NotShared(answer);
        return answer;
      }),
    );
  } catch (error) {
    if (error instanceof NotShared) return toResponse(error.answer);
    throw error;
  }
}
