/**
 * The id under which a websocket client subscribes to a room's `chat.onStream` so that the server can send every
 * viewer of the room the same frame: `chat.onStream:<streamId>`. Shared by the server and the browser client.
 */
export const ROOM_SUBSCRIPTION_PREFIX = 'chat.onStream:';
