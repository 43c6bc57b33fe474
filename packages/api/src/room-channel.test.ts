import { describe, expect, test } from 'bun:test';
import {
  parseRoomChannelId,
  ROOM_PROCEDURE_PATH,
  roomChannelId,
  type SubscriptionPath,
  sharedRoomEncoder,
} from './room-channel.ts';

const streamId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const otherStreamId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('room channel ids', () => {
  test('an id made for a stream parses back to that stream', () => {
    expect(roomChannelId(streamId)).toBe(`chat.onStream:${streamId}`);
    expect(parseRoomChannelId(roomChannelId(streamId))).toBe(streamId);
    expect(parseRoomChannelId(roomChannelId(streamId.toUpperCase()))).toBe(streamId.toUpperCase());
  });

  test('malformed ids and ids without a uuid are refused', () => {
    for (const id of [
      7,
      null,
      undefined,
      '',
      streamId,
      'chat.onStream',
      'chat.onStream:',
      'chat.onStream:not-a-uuid',
      `chat.onStream:${streamId}:1`,
      `chat.onStream: ${streamId}`,
      `chat.onUser:${streamId}`,
      `chat.onStreamx:${streamId}`,
      `chat.onStream:${streamId.slice(0, -1)}g`,
    ]) {
      expect(parseRoomChannelId(id)).toBeNull();
    }
  });

  test('the room procedure is a subscription of the router', () => {
    const path: SubscriptionPath = ROOM_PROCEDURE_PATH;
    expect(path).toBe('chat.onStream');
    // @ts-expect-error a mutation is not a subscription path
    const notSubscription: SubscriptionPath = 'chat.send';
    expect(String(notSubscription)).toBe('chat.send');
  });
});

const subscribe = (id: number, room: string) => ({
  id,
  method: 'subscription',
  params: { path: 'chat.onStream', input: { json: { streamId: room } } },
});
const stop = (id: number) => ({ id, method: 'subscription.stop' });

describe('sharedRoomEncoder', () => {
  test('a chat.onStream subscription goes out under the room channel id and its frames come back under its own', () => {
    const encoder = sharedRoomEncoder();
    const sent = JSON.parse(encoder.encode(subscribe(1, streamId)));
    expect(sent.id).toBe(roomChannelId(streamId));
    expect(sent.params).toEqual(subscribe(1, streamId).params);
    const frame = { id: roomChannelId(streamId), result: { type: 'data', id: '4', data: { json: [] } } };
    expect(encoder.decode(JSON.stringify(frame))).toEqual({ ...frame, id: 1 });
    expect(encoder.decode(new TextEncoder().encode(JSON.stringify(frame)))).toMatchObject({ id: 1 });
  });

  test('a second subscription to the same room keeps its own id; another room gets its own channel id', () => {
    const encoder = sharedRoomEncoder();
    const sent = JSON.parse(
      encoder.encode([subscribe(1, streamId), subscribe(2, streamId), subscribe(3, otherStreamId)]),
    );
    expect(sent.map((message: { id: unknown }) => message.id)).toEqual([
      roomChannelId(streamId),
      2,
      roomChannelId(otherStreamId),
    ]);
    expect(encoder.decode(JSON.stringify({ id: 2, result: { type: 'started' } })).id).toBe(2);
    expect(
      encoder.decode(JSON.stringify({ id: roomChannelId(otherStreamId), result: { type: 'started' } })).id,
    ).toBe(3);
  });

  test('stopping frees the room channel id for the next subscription; other calls pass unchanged', () => {
    const encoder = sharedRoomEncoder();
    encoder.encode(subscribe(1, streamId));
    expect(JSON.parse(encoder.encode(stop(1))).id).toBe(roomChannelId(streamId));
    expect(JSON.parse(encoder.encode(subscribe(2, streamId))).id).toBe(roomChannelId(streamId));
    // The server ending the subscription (an error or `stopped`) frees it too.
    expect(encoder.decode(JSON.stringify({ id: roomChannelId(streamId), error: { json: {} } })).id).toBe(2);
    expect(JSON.parse(encoder.encode(subscribe(3, streamId))).id).toBe(roomChannelId(streamId));
    const mutation = {
      id: 4,
      method: 'mutation',
      params: { path: 'chat.send', input: { json: { streamId } } },
    };
    expect(JSON.parse(encoder.encode(mutation))).toEqual(mutation);
    expect(JSON.parse(encoder.encode(stop(9)))).toEqual(stop(9));
  });
});
