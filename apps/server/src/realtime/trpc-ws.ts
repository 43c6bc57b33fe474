import {
  type ApiConfig,
  type ApiContext,
  appRouter,
  createApiContext,
  ROOM_SUBSCRIPTION_PREFIX,
  StreamSubscription,
} from '@app/api';
import type { BusEvent } from '@app/core';
import { TRPCError } from '@trpc/server';
import {
  callProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isTrackedEnvelope,
  parseTRPCMessage,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import type { TrustProxy } from '../env.ts';
import type { Logger } from '../logger.ts';
import { clientAddress } from '../modules/http-basics.ts';
import type { Runtime } from '../runtime.ts';
import { createRoomHub, type RoomHub } from './rooms.ts';

type RequestId = number | string;

/** What a subscription needs to be stopped, and (for room feeds) which channel it watches. */
type ActiveSubscription = { stop: () => void; channelId: string | null };

type SocketData = {
  req: Request;
  ctx: Promise<ApiContext> | null;
  subscriptions: Map<RequestId, ActiveSubscription>;
  /** Stops listening to the user's own topic (session revoked, channel bans). */
  stopUserEvents: (() => void) | null;
  open: boolean;
};

const config = appRouter._def._config;
/** Incoming frames above this size are refused (a chat message is at most a few KB). */
const MAX_FRAME_BYTES = 64 * 1024;
/** Batched calls above this count are refused. */
const MAX_BATCH = 20;
/** Open subscriptions per socket (a tab needs a handful). */
const MAX_SUBSCRIPTIONS = 32;

/**
 * tRPC v11 over Bun websockets, on `/trpc`, speaking the wire protocol of tRPC's own `wsLink`: queries,
 * mutations and subscriptions (async iterables, `tracked()` ids, `lastEventId` resume, `subscription.stop`).
 *
 * `chat.onStream` subscriptions sent under the room's well-known id (`chat.onStream:<streamId>`, see
 * `sharedRoomEncoder` in @app/api/client) are served by the room hub: one serialized frame per event for every
 * viewer of the room, written by `server.publish`. Any other id is served on its own, by iterating the feed.
 *
 * The session comes from the cookie of the upgrade request, which must come from one of our apps' origins. A
 * platform ban closes the user's sockets on every node; a channel ban ends their subscriptions to that channel.
 */
export function trpcWebsocket(
  runtime: Runtime,
  apiConfig: ApiConfig,
  options: { log: Logger; trustProxy: TrustProxy; presenceTtlSeconds: number },
) {
  const { log } = options;
  const { deps } = runtime;
  let server: Server<SocketData> | null = null;

  const frame = (response: Parameters<typeof transformTRPCResponse>[1]) =>
    JSON.stringify(transformTRPCResponse(config, response));
  const hub: RoomHub = createRoomHub(
    deps,
    (streamId, eventId, events) =>
      frame({
        id: `${ROOM_SUBSCRIPTION_PREFIX}${streamId}`,
        result: { type: 'data', id: eventId, data: { id: eventId, data: events } },
      } as never),
    (topic, bytes) => server?.publish(topic, bytes),
    { log, heartbeatMs: (options.presenceTtlSeconds * 1000) / 3 },
  );

  const send = (ws: ServerWebSocket<SocketData>, bytes: string) => {
    if (ws.data.open) ws.send(bytes);
  };

  const errorFrame = (
    id: RequestId | null,
    cause: unknown,
    call: { type: 'query' | 'mutation' | 'subscription' | 'unknown'; path?: string; input?: unknown },
    ctx: ApiContext | undefined,
  ) => {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      log.error('ws procedure failed', { path: call.path, error: error.message, cause: String(error.cause) });
    }
    const shape = getErrorShape({ config, error, type: call.type, path: call.path, input: call.input, ctx });
    return frame({ id, error: shape } as never);
  };

  /** Follows the user's own topic for the events that end their connections or subscriptions. */
  const watchUser = (ws: ServerWebSocket<SocketData>, userId: string) => {
    ws.data.stopUserEvents = deps.bus.subscribe(`user:${userId}`, (event: BusEvent) => {
      if (event.type === 'session.revoked') {
        ws.close(4401, 'Your session has ended.');
        return;
      }
      if (event.type === 'chat.restricted' && event.until === null) {
        for (const [id, subscription] of ws.data.subscriptions) {
          if (subscription.channelId !== event.channelId) continue;
          subscription.stop();
          send(
            ws,
            errorFrame(
              id,
              new TRPCError({
                code: 'FORBIDDEN',
                message: 'The streamer has banned you from their channel.',
              }),
              { type: 'subscription', path: 'chat.onStream' },
              undefined,
            ),
          );
        }
      }
    });
  };

  const context = (ws: ServerWebSocket<SocketData>) => {
    ws.data.ctx ??= createApiContext({
      deps,
      config: apiConfig,
      req: ws.data.req,
      resHeaders: new Headers(),
      ip: clientAddress(ws.data.req, options.trustProxy),
      requestId: crypto.randomUUID(),
    }).then((ctx) => {
      if (ctx.auth && ws.data.open) watchUser(ws, ctx.auth.user.id);
      return ctx;
    });
    return ws.data.ctx;
  };

  const subscribe = async (
    ws: ServerWebSocket<SocketData>,
    id: RequestId,
    path: string,
    input: unknown,
    ctx: ApiContext,
  ) => {
    if (ws.data.subscriptions.has(id)) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate subscription id ${id}.` });
    }
    if (ws.data.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `At most ${MAX_SUBSCRIPTIONS} subscriptions per connection; stop one first.`,
      });
    }
    const abort = new AbortController();
    const active: ActiveSubscription = { stop: () => abort.abort(), channelId: null };
    ws.data.subscriptions.set(id, active);
    const started = () => send(ws, frame({ id, result: { type: 'started' } } as never));
    const stopped = () => {
      if (ws.data.subscriptions.get(id) === active) ws.data.subscriptions.delete(id);
      send(ws, frame({ id, result: { type: 'stopped' } } as never));
    };
    try {
      const result = await callProcedure({
        router: appRouter,
        path,
        getRawInput: async () => input,
        ctx,
        type: 'subscription',
        signal: abort.signal,
        batchIndex: 0,
      });
      if (abort.signal.aborted || !ws.data.open) return;
      if (result instanceof StreamSubscription) {
        active.channelId = result.feed.streamerId;
        if (id === `${ROOM_SUBSCRIPTION_PREFIX}${result.feed.streamId}`) {
          const leave = await hub.join(
            {
              send: (bytes) => send(ws, bytes),
              subscribe: (topic) => ws.subscribe(topic),
              unsubscribe: (topic) => ws.unsubscribe(topic),
              isOpen: () => ws.data.open && !abort.signal.aborted,
            },
            result.feed,
            started,
          );
          if (!leave) return;
          active.stop = () => {
            abort.abort();
            leave();
          };
          return;
        }
        const unwatch = hub.watch(result.feed);
        abort.signal.addEventListener('abort', unwatch, { once: true });
      }
      if (!isAsyncIterable(result)) {
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} is not a subscription.` });
      }
      started();
      const iterator = result[Symbol.asyncIterator]();
      try {
        // The feeds honour `abort.signal`: a stop ends the pending next() instead of leaving it behind.
        for (
          let next = await iterator.next();
          !next.done && !abort.signal.aborted;
          next = await iterator.next()
        ) {
          const value = next.value;
          if (isTrackedEnvelope(value)) {
            const [eventId, data] = value;
            send(
              ws,
              frame({ id, result: { type: 'data', id: eventId, data: { id: eventId, data } } } as never),
            );
          } else {
            send(ws, frame({ id, result: { type: 'data', data: value } } as never));
          }
        }
      } finally {
        abort.abort();
        await iterator.return?.();
      }
      stopped();
    } catch (cause) {
      abort.abort();
      if (ws.data.subscriptions.get(id) === active) ws.data.subscriptions.delete(id);
      throw cause;
    }
  };

  const handle = async (ws: ServerWebSocket<SocketData>, raw: unknown) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    if ((typeof rawId !== 'number' && typeof rawId !== 'string') || rawId === '') {
      send(
        ws,
        errorFrame(
          null,
          new TRPCError({ code: 'BAD_REQUEST', message: 'A request id is required.' }),
          { type: 'unknown' },
          undefined,
        ),
      );
      return;
    }
    let message: ReturnType<typeof parseTRPCMessage>;
    try {
      message = parseTRPCMessage(raw, config.transformer);
    } catch (cause) {
      send(
        ws,
        errorFrame(
          rawId,
          new TRPCError({ code: 'PARSE_ERROR', message: 'That message is not a tRPC call.', cause }),
          { type: 'unknown' },
          undefined,
        ),
      );
      return;
    }
    const id = rawId;
    if (message.method === 'subscription.stop') {
      const active = ws.data.subscriptions.get(id);
      if (active) {
        ws.data.subscriptions.delete(id);
        active.stop();
        send(ws, frame({ id, result: { type: 'stopped' } } as never));
      }
      return;
    }
    const { path, lastEventId } = message.params;
    let input = message.params.input;
    if (lastEventId !== undefined && lastEventId !== null) {
      input = input && typeof input === 'object' ? { ...input, lastEventId } : { lastEventId };
    }
    const type = message.method;
    const ctx = await context(ws);
    try {
      if (type === 'subscription') {
        await subscribe(ws, id, path, input, ctx);
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
      send(ws, frame({ id, result: { type: 'data', data } } as never));
    } catch (cause) {
      send(ws, errorFrame(id, cause, { type, path, input }, ctx));
    }
  };

  const handler: WebSocketHandler<SocketData> = {
    maxPayloadLength: MAX_FRAME_BYTES,
    // A socket too slow to take a room's frames is closed, so that its client reconnects and resumes from the
    // last event it saw, rather than silently missing frames.
    backpressureLimit: 4 * 1024 * 1024,
    closeOnBackpressureLimit: true,
    idleTimeout: 120,
    open(ws) {
      ws.data.open = true;
      // Sessions are read at once, so that a platform ban reaches a socket that is only listening.
      context(ws).catch(() => {});
    },
    message(ws, data) {
      const text = typeof data === 'string' ? data : data.toString();
      if (text === 'PING') {
        ws.send('PONG');
        return;
      }
      if (text === 'PONG') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        send(
          ws,
          errorFrame(
            null,
            new TRPCError({ code: 'PARSE_ERROR', message: 'Messages must be JSON.' }),
            { type: 'unknown' },
            undefined,
          ),
        );
        return;
      }
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      if (calls.length > MAX_BATCH) {
        send(
          ws,
          errorFrame(
            null,
            new TRPCError({ code: 'BAD_REQUEST', message: `At most ${MAX_BATCH} calls per message.` }),
            { type: 'unknown' },
            undefined,
          ),
        );
        return;
      }
      for (const call of calls) {
        handle(ws, call).catch((error) => log.error('ws message failed', { error: String(error) }));
      }
    },
    close(ws) {
      ws.data.open = false;
      ws.data.stopUserEvents?.();
      for (const active of ws.data.subscriptions.values()) active.stop();
      ws.data.subscriptions.clear();
    },
  };

  /** Upgrades `request` when it is a websocket request from an allowed origin; a Response when refused. */
  const upgrade = (request: Request, bunServer: Server<SocketData>): Response | undefined => {
    server = bunServer;
    const origin = request.headers.get('origin');
    if (!origin || !apiConfig.allowedOrigins.includes(origin)) {
      return new Response('This websocket did not come from a Lumen page.', { status: 403 });
    }
    const data: SocketData = {
      req: request,
      ctx: null,
      subscriptions: new Map(),
      stopUserEvents: null,
      open: false,
    };
    if (bunServer.upgrade(request, { data })) return undefined;
    return new Response('Websocket upgrade failed.', { status: 400 });
  };

  return { handler, upgrade, hub };
}
