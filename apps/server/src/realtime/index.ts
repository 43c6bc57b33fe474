import { type ApiConfig, roomChannelId } from '@app/api';
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun';
import type { TrustProxy } from '../env.ts';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import {
  type ConnectionServices,
  closeConnection,
  newSocketData,
  openConnection,
  receive,
  type SocketData,
} from './connection.ts';
import { MAX_FRAME_BYTES, trackedFrame } from './protocol.ts';
import { createRoomHub } from './room-hub.ts';
import { createSessionChecks } from './session-checks.ts';
import { createSocketLimits, type SocketCaps } from './socket-limits.ts';

/**
 * tRPC v11 over Bun websockets, on `/trpc`, speaking the wire protocol of tRPC's own `wsLink`: queries,
 * mutations and subscriptions (async iterables, `tracked()` ids, `lastEventId` resume, `subscription.stop`).
 *
 * `chat.onStream` subscriptions sent under their room's channel id (`roomChannelId` in @app/api, which the
 * browser client's `sharedRoomEncoder` uses) are served by the room hub: one serialized frame per event for every
 * viewer of the room, written by `server.publish`. Any other id is served on its own, by iterating the feed.
 *
 * The session comes from the cookie of the upgrade request, which must come from one of our apps' origins, and is
 * read again for every call. Whenever a session ends (logout, password change, sign out everywhere, ban, expiry)
 * its sockets close on every node with code 4401; a channel ban ends the user's subscriptions to that channel.
 * Each user (or, for guests, each address) may hold a bounded number of sockets per node; more close with 4429.
 */
export function trpcWebsocket(
  runtime: Runtime,
  apiConfig: ApiConfig,
  options: { log: Logger; trustProxy: TrustProxy; presenceTtlSeconds: number; socketCaps: SocketCaps },
) {
  const { log } = options;
  let server: Server<SocketData> | null = null;
  const hub = createRoomHub(
    runtime.deps,
    (streamId, eventId, events) => trackedFrame(roomChannelId(streamId), eventId, events),
    (topic, bytes) => server?.publish(topic, bytes),
    { log, heartbeatMs: (options.presenceTtlSeconds * 1000) / 3 },
  );
  const services: ConnectionServices = {
    deps: runtime.deps,
    apiConfig,
    hub,
    log,
    trustProxy: options.trustProxy,
    limits: createSocketLimits(options.socketCaps),
    sessionChecks: createSessionChecks(runtime.deps),
  };

  /** The node's open sockets, for its metrics. */
  const open = new Set<ServerWebSocket<SocketData>>();
  const handler: WebSocketHandler<SocketData> = {
    maxPayloadLength: MAX_FRAME_BYTES,
    // A socket too slow to take a room's frames is closed, so that its client reconnects and resumes from the
    // last event it saw, rather than silently missing frames.
    backpressureLimit: 4 * 1024 * 1024,
    closeOnBackpressureLimit: true,
    idleTimeout: 120,
    open: (ws) => {
      open.add(ws);
      return openConnection(ws, services);
    },
    message: (ws, data) => receive(ws, services, typeof data === 'string' ? data : data.toString()),
    close: (ws) => {
      open.delete(ws);
      return closeConnection(ws);
    },
  };

  /** Upgrades `request` when it is a websocket request from an allowed origin; a Response when refused. */
  const upgrade = (request: Request, bunServer: Server<SocketData>): Response | undefined => {
    server = bunServer;
    const origin = request.headers.get('origin');
    if (!origin || !apiConfig.allowedOrigins.includes(origin)) {
      return new Response('This websocket did not come from a Lumen page.', { status: 403 });
    }
    if (bunServer.upgrade(request, { data: newSocketData(request) })) return undefined;
    return new Response('Websocket upgrade failed.', { status: 400 });
  };

  /** Open sockets and their live subscriptions on this node, for the metrics. */
  const counts = () => {
    let subscriptions = 0;
    for (const ws of open) subscriptions += ws.data.subscriptions.size;
    return { connections: open.size, subscriptions };
  };

  return { handler, upgrade, hub, counts };
}
