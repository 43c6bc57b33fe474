/**
 * One websocket's state and how it serves its calls: its session (read from the upgrade request's cookie, and
 * checked again for every call), its subscriptions, and the user's own topic, watched for the events that end
 * them.
 */
import { type ApiConfig, type ApiContext, appRouter, createApiContext, ROOM_PROCEDURE_PATH } from '@app/api';
import { type CoreDeps, SOCKET_CLOSE } from '@app/core';
import { TRPCError } from '@trpc/server';
import { callProcedure } from '@trpc/server/unstable-core-do-not-import';
import type { ServerWebSocket } from 'bun';
import type { TrustProxy } from '../env.ts';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';
import { clientAddress } from '../modules/http-basics.ts';
import {
  dataFrame,
  errorFrame,
  parseCall,
  parseFrame,
  type RequestId,
  send,
  stoppedFrame,
} from './protocol.ts';
import type { RoomHub } from './room-hub.ts';
import type { SessionChecks } from './session-checks.ts';
import { endSocket, watchSession } from './session-watch.ts';
import { type SocketLimits, viewerKey } from './socket-limits.ts';
import { type ActiveSubscription, subscribe } from './subscription.ts';

/** What every connection on this server shares. */
export type ConnectionServices = {
  deps: CoreDeps;
  apiConfig: ApiConfig;
  hub: RoomHub;
  log: Logger;
  trustProxy: TrustProxy;
  limits: SocketLimits;
  sessionChecks: SessionChecks;
};

/**
 * What a socket keeps of its opening for its later calls: the context without the session (each call reads the
 * session again), and which session that is. The upgrade request, the session's rows and the response cookies
 * are not kept: a room of thousands of sockets would hold thousands of copies for nothing.
 */
export type OpenedSocket = { base: ApiContext; sessionId: string | null };

export type SocketData = {
  /** The upgrade request, until the socket's context is made from it. */
  req: Request | null;
  opened: Promise<OpenedSocket> | null;
  subscriptions: Map<RequestId, ActiveSubscription>;
  /** Stops listening to the user's own topic (session ended, channel bans) and the session's expiry timer. */
  stopUserEvents: (() => void) | null;
  open: boolean;
  /** Set once the socket is within its user's or address's cap; calls wait for it. */
  admitted: boolean;
  /** Gives the socket's place under the cap back. */
  release: (() => void) | null;
  /** Set the moment its session is known to have ended: no call is served after it. */
  ended: boolean;
};

export type Socket = ServerWebSocket<SocketData>;

export const newSocketData = (req: Request): SocketData => ({
  req,
  opened: null,
  subscriptions: new Map(),
  stopUserEvents: null,
  open: false,
  admitted: false,
  release: null,
  ended: false,
});

export function openConnection(ws: Socket, services: ConnectionServices) {
  ws.data.open = true;
  // Sessions are read at once, so that a platform ban reaches a socket that is only listening.
  open(ws, services).catch(() => {});
}

export function closeConnection(ws: Socket) {
  ws.data.open = false;
  ws.data.release?.();
  ws.data.stopUserEvents?.();
  const subscriptions = [...ws.data.subscriptions.values()];
  ws.data.subscriptions.clear();
  for (const active of subscriptions) active.stop();
}

/** Serves one incoming text frame: `wsLink`'s keep-alive, or one call or a batch of them. */
export function receive(ws: Socket, services: ConnectionServices, text: string) {
  if (text === 'PING') {
    ws.send('PONG');
    return;
  }
  if (text === 'PONG') return;
  const incoming = parseFrame(text);
  if ('refused' in incoming) {
    send(ws, errorFrame(null, incoming.refused, { type: 'unknown' }, undefined, services.log));
    return;
  }
  for (const call of incoming.calls) {
    serveCall(ws, services, call).catch((error) =>
      services.log.error('ws message failed', describeFailure(error)),
    );
  }
}

async function serveCall(ws: Socket, services: ConnectionServices, raw: unknown) {
  const call = parseCall(raw);
  if (call.kind === 'refused') {
    send(ws, errorFrame(call.id, call.error, { type: 'unknown' }, undefined, services.log));
    return;
  }
  if (call.kind === 'stop') {
    const active = ws.data.subscriptions.get(call.id);
    if (active) {
      ws.data.subscriptions.delete(call.id);
      active.stop();
      send(ws, stoppedFrame(call.id));
    }
    return;
  }
  const { id, type, path, input } = call;
  const opened = await open(ws, services);
  if (!ws.data.admitted || ws.data.ended) return;
  const ctx = await currentContext(ws, services, opened);
  if (!ctx) return;
  try {
    if (type === 'subscription') {
      await subscribe(ws, services.hub, { id, path, input, ctx });
      return;
    }
    const data = await callProcedure({
      router: appRouter,
      path,
      getRawInput: async () => input,
      ctx,
      type,
      signal: undefined,
      batchIndex: 0,
    });
    send(ws, dataFrame(id, data));
  } catch (cause) {
    send(ws, errorFrame(id, cause, { type, path, input }, ctx, services.log));
  }
}

/**
 * Over a websocket there is no response to carry a cookie: procedures that set or clear one (sign in, sign out)
 * do so over HTTP. One shared no-op instead of a `Headers` per socket that nothing would ever read.
 */
const NO_COOKIES: ApiContext['cookies'] = { set: () => {}, clear: () => {} };

const newContext = (req: Request, services: ConnectionServices) =>
  createApiContext({
    deps: services.deps,
    config: services.apiConfig,
    req,
    resHeaders: new Headers(),
    ip: clientAddress(req, services.trustProxy),
    requestId: crypto.randomUUID(),
  });

/**
 * The socket's context, created once from the upgrade request: the socket is then admitted under its caps, and
 * a signed-in user's topic and session expiry are watched.
 */
function open(ws: Socket, services: ConnectionServices): Promise<OpenedSocket> {
  if (ws.data.opened) return ws.data.opened;
  const req = ws.data.req as Request;
  ws.data.req = null;
  ws.data.opened = newContext(req, services).then((ctx) => {
    if (ws.data.open) admit(ws, services, ctx);
    return { base: { ...ctx, auth: null, cookies: NO_COOKIES }, sessionId: ctx.auth?.session.id ?? null };
  });
  return ws.data.opened;
}

function admit(ws: Socket, services: ConnectionServices, ctx: ApiContext) {
  const admission = services.limits.admit(viewerKey(ctx));
  if ('refused' in admission) {
    ws.close(SOCKET_CLOSE.tooManySockets, admission.refused);
    return;
  }
  ws.data.admitted = true;
  ws.data.release = admission.release;
  if (ctx.auth) watchSession(ws, services, ctx.auth, onUserEvent);
}

/**
 * A signed-in socket's session is read again for every call, as an HTTP request's is (grouped with the other
 * sockets' reads, `session-checks.ts`): a call that arrives after a logout, a password change or a ban on any node
 * (before that node's message closes this socket) is refused, and the call sees the user as they are now. Null
 * when the session has ended (the socket is then closed).
 */
async function currentContext(
  ws: Socket,
  services: ConnectionServices,
  opened: OpenedSocket,
): Promise<ApiContext | null> {
  if (!opened.sessionId) return opened.base;
  const current = await services.sessionChecks(opened.sessionId);
  if (ws.data.ended || !current) {
    endSocket(ws);
    return null;
  }
  return { ...opened.base, auth: current, requestId: crypto.randomUUID() };
}

/** A channel ban ends the user's subscriptions to that channel. */
function onUserEvent(ws: Socket, services: ConnectionServices, event: Record<string, unknown>) {
  if (event.type !== 'chat.restricted' || event.until !== null) return;
  const banned = new TRPCError({
    code: 'FORBIDDEN',
    message: 'The streamer has banned you from their channel.',
  });
  for (const [id, subscription] of ws.data.subscriptions) {
    if (subscription.channelId !== event.channelId) continue;
    ws.data.subscriptions.delete(id);
    subscription.stop();
    send(
      ws,
      errorFrame(id, banned, { type: 'subscription', path: ROOM_PROCEDURE_PATH }, undefined, services.log),
    );
  }
}
