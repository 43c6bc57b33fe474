/**
 * The room channel: the one wire id under which every viewer of a room subscribes to the room's feed, so that the
 * server can write them all the same serialized frame. The server, the browser client, the tests and the chat
 * bench read the id only from here. Browser-safe: nothing here imports server code (`./root.ts` is types only).
 */
import type { AppRouter } from './root.ts';

/** Every subscription procedure's path in `AppRouter`, e.g. `chat.onStream`. */
type SubscriptionPaths<TRecord, TPrefix extends string = ''> = {
  [K in keyof TRecord & string]: TRecord[K] extends { _def: { type: infer TType } }
    ? TType extends 'subscription'
      ? `${TPrefix}${K}`
      : never
    : SubscriptionPaths<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];

export type SubscriptionPath = SubscriptionPaths<AppRouter['_def']['record']>;

/** The room feed's procedure; checked against the router so that renaming or retyping it fails to compile. */
export const ROOM_PROCEDURE_PATH = 'chat.onStream' satisfies SubscriptionPath;

export type RoomChannelId = `${typeof ROOM_PROCEDURE_PATH}:${string}`;

const PREFIX = `${ROOM_PROCEDURE_PATH}:` as const;
/**
 * Any 8-4-4-4-12 hex id: looser than the procedure's own uuid check, so that every stream id it accepts is
 * recognised here and the procedure stays the one that refuses the rest.
 */
const STREAM_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The shared id of a room's feed: `chat.onStream:<streamId>`. */
export function roomChannelId(streamId: string): RoomChannelId {
  return `${PREFIX}${streamId}`;
}

/** The stream id of a room channel id, or null when `id` is not one (another id, or no stream id after it). */
export function parseRoomChannelId(id: unknown): string | null {
  if (typeof id !== 'string' || !id.startsWith(PREFIX)) return null;
  const streamId = id.slice(PREFIX.length);
  return STREAM_ID.test(streamId) ? streamId : null;
}

type WireMessage = {
  id?: number | string | null;
  method?: string;
  params?: { path?: string; input?: { json?: { streamId?: unknown } } };
  result?: { type?: string };
  error?: unknown;
};

/**
 * `wsLink`'s `experimental_encoder` for the room channel: a `chat.onStream` subscription goes out under the room's
 * channel id instead of this client's counter, and frames with that id are handed back to the subscription under
 * its own id. A second subscription to the same room from this client keeps its own id (the server then serves
 * it on its own).
 */
export function sharedRoomEncoder() {
  const localByShared = new Map<string, number | string>();
  const sharedByLocal = new Map<number | string, string>();
  const outgoing = (message: WireMessage): WireMessage => {
    if (message.id == null) return message;
    if (message.method === 'subscription' && message.params?.path === ROOM_PROCEDURE_PATH) {
      const streamId = message.params.input?.json?.streamId;
      if (typeof streamId !== 'string') return message;
      const shared = roomChannelId(streamId);
      const owner = localByShared.get(shared);
      if (owner !== undefined && owner !== message.id) return message;
      localByShared.set(shared, message.id);
      sharedByLocal.set(message.id, shared);
      return { ...message, id: shared };
    }
    if (message.method === 'subscription.stop') {
      const shared = sharedByLocal.get(message.id);
      if (shared === undefined) return message;
      sharedByLocal.delete(message.id);
      localByShared.delete(shared);
      return { ...message, id: shared };
    }
    return message;
  };
  return {
    encode: (data: unknown) =>
      JSON.stringify(Array.isArray(data) ? data.map(outgoing) : outgoing(data as WireMessage)),
    decode: (data: string | ArrayBuffer | Uint8Array) => {
      const message = JSON.parse(
        typeof data === 'string' ? data : new TextDecoder().decode(data),
      ) as WireMessage;
      if (typeof message.id === 'string') {
        const local = localByShared.get(message.id);
        if (local !== undefined) {
          if (message.error || message.result?.type === 'stopped') {
            localByShared.delete(message.id);
            sharedByLocal.delete(local);
          }
          message.id = local;
        }
      }
      return message;
    },
  };
}
