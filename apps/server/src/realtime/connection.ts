/**
 * One websocket's state and how it serves its calls: its session (read from the upgrade request's cookie), its
 * subscriptions, and the user's own topic, watched for the events that end them.
 */
import { type ApiConfig, type ApiContext, appRouter, createApiContext, ROOM_PROCEDURE_PATH } from '@app/api';
import type { BusEvent, CoreDeps } from '@app/core';
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
import { type ActiveSubscription, subscribe } from './subscription.ts';

/** What every connection on this server shares. */
export type ConnectionServices = {
  deps: CoreDeps;
  apiConfig: ApiConfig;
  hub: RoomHub;
  log: Logger;
  trustProxy: TrustProxy;
};

export type SocketData = {
  req: Request;
  ctx: Promise<ApiContext> | null;
  subscriptions: Map<RequestId, ActiveSubscription>;
  /** Stops listening to the user's own topic (session revoked, channel bans). */
  stopUserEvents: (() => void) | null;
  open: boolean;
};

export type Socket = ServerWebSocket<SocketData>;

export const newSocketData = (req: Request): SocketData => ({
  req,
  ctx: null,
  subscriptions: new Map(),
  stopUserEvents: null,
  open: false,
});

export function openConnection(ws: Socket, services: ConnectionServices) {
  ws.data.open = true;
  // Sessions are read at once, so that a platform ban reaches a socket that is only listening.
  context(ws, services).catch(() => {});
}

export function closeConnection(ws: Socket) {
  ws.data.open = false;
  ws.data.stopUserEvents?.();
  for (const active of ws.data.subscriptions.values()) active.stop();
  ws.data.subscriptions.clear();
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
  const ctx = await context(ws, services);
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

/** The socket's API context, created once from the upgrade request; a signed-in user's topic is then watched. */
function context(ws: Socket, services: ConnectionServices) {
  ws.data.ctx ??= createApiContext({
    deps: services.deps,
    config: services.apiConfig,
    req: ws.data.req,
    resHeaders: new Headers(),
    ip: clientAddress(ws.data.req, services.trustProxy),
    requestId: crypto.randomUUID(),
  }).then((ctx) => {
    if (ctx.auth && ws.data.open) watchUser(ws, services, ctx.auth.user.id);
    return ctx;
  });
  return ws.data.ctx;
}

/** Follows the user's own topic for the events that end their connections or subscriptions. */
function watchUser(ws: Socket, services: ConnectionServices, userId: string) {
  ws.data.stopUserEvents = services.deps.bus.subscribe(`user:${userId}`, (event: BusEvent) => {
    if (event.type === 'session.revoked') {
      ws.close(4401, 'Your session has ended.');
      return;
    }
    if (event.type !== 'chat.restricted' || event.until !== null) return;
    const banned = new TRPCError({
      code: 'FORBIDDEN',
      message: 'The streamer has banned you from their channel.',
    });
    for (const [id, subscription] of ws.data.subscriptions) {
      if (subscription.channelId !== event.channelId) continue;
      subscription.stop();
      send(
        ws,
        errorFrame(id, banned, { type: 'subscription', path: ROOM_PROCEDURE_PATH }, undefined, services.log),
      );
    }
  });
}
