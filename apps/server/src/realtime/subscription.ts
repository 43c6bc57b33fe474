/**
 * Serving one subscription on a socket. A `chat.onStream` subscription sent under its room's channel id joins the
 * room hub's shared frames; any other is served on its own, by iterating its feed.
 */
import { type ApiContext, appRouter, parseRoomChannelId, StreamSubscription } from '@app/api';
import { TRPCError } from '@trpc/server';
import { callProcedure, isAsyncIterable, isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';
import type { ServerWebSocket } from 'bun';
import {
  dataFrame,
  MAX_SUBSCRIPTIONS,
  type RequestId,
  send,
  startedFrame,
  stoppedFrame,
  trackedFrame,
} from './protocol.ts';
import type { RoomHub, RoomSocket, Viewer } from './room-hub.ts';
import { viewerKey } from './socket-limits.ts';

/** What a subscription needs to be stopped, and (for room feeds) which channel it watches. */
export type ActiveSubscription = { stop: () => void; channelId: string | null };

/** The part of a socket's state that its subscriptions use. */
export type SubscriberSocket = ServerWebSocket<{
  subscriptions: Map<RequestId, ActiveSubscription>;
  open: boolean;
}>;

export type SubscriptionCall = { id: RequestId; path: string; input: unknown; ctx: ApiContext };

/** Starts a subscription; resolves when it ends, rejects when it cannot start. */
export async function subscribe(ws: SubscriberSocket, hub: RoomHub, call: SubscriptionCall) {
  const { id, path, input, ctx } = call;
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
      const viewer = { feed: result.feed, viewerKey: viewerKey(ctx) };
      if (parseRoomChannelId(id) === result.feed.streamId) {
        await joinRoom(ws, hub, id, viewer, active);
        return;
      }
      const unwatch = hub.watch(viewer);
      abort.signal.addEventListener('abort', unwatch, { once: true });
    }
    if (!isAsyncIterable(result)) {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${path} is not a subscription.` });
    }
    await iterate(ws, id, result, active, abort);
  } catch (cause) {
    abort.abort();
    if (ws.data.subscriptions.get(id) === active) ws.data.subscriptions.delete(id);
    throw cause;
  }
}

/**
 * Serves a room feed from the hub's shared frames; stopping it leaves the room. The subscription wants frames
 * while it is the one under its id (a stop, a ban or a close takes it out first); after the join, its stop is
 * the leave, so nothing of the call (its abort signal, its feed) stays alive for the life of the socket.
 */
async function joinRoom(
  ws: SubscriberSocket,
  hub: RoomHub,
  id: RequestId,
  viewer: Viewer,
  active: ActiveSubscription,
) {
  const leave = await hub.join(new SocketInRoom(ws, id, active), viewer, () => send(ws, startedFrame(id)));
  if (leave) active.stop = leave;
}

/** Serves a subscription on its own: one frame per item of its feed, until it ends or is stopped. */
async function iterate(
  ws: SubscriberSocket,
  id: RequestId,
  feed: AsyncIterable<unknown>,
  active: ActiveSubscription,
  abort: AbortController,
) {
  send(ws, startedFrame(id));
  const iterator = feed[Symbol.asyncIterator]();
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
        send(ws, trackedFrame(id, eventId, data));
      } else {
        send(ws, dataFrame(id, value));
      }
    }
  } finally {
    abort.abort();
    await iterator.return?.();
  }
  if (ws.data.subscriptions.get(id) === active) ws.data.subscriptions.delete(id);
  send(ws, stoppedFrame(id));
}

/**
 * The socket as the room sees it: one object for the life of the membership (not four closures over the async
 * `joinRoom`, which would keep all of its variables alive as long as the socket stays in the room).
 */
class SocketInRoom implements RoomSocket {
  constructor(
    private readonly ws: SubscriberSocket,
    private readonly id: RequestId,
    private readonly active: ActiveSubscription,
  ) {}
  send(bytes: string) {
    send(this.ws, bytes);
  }
  subscribe(topic: string) {
    this.ws.subscribe(topic);
  }
  unsubscribe(topic: string) {
    if (this.ws.data.open) this.ws.unsubscribe(topic);
  }
  isOpen() {
    return this.ws.data.open && this.ws.data.subscriptions.get(this.id) === this.active;
  }
}
