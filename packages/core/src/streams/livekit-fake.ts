import { AccessToken, type ClaimGrants, TokenVerifier } from 'livekit-server-sdk';
import type { LivekitDeps } from '../kernel/ports.ts';
import { createLivekit } from './livekit.ts';

/**
 * A local stand-in for LiveKit's Twirp API (`POST /twirp/livekit.<Service>/<Method>`, protobuf JSON), so tests
 * make real `livekit-server-sdk` calls. It checks each call's bearer token as LiveKit does, records the call,
 * and keeps ingresses and rooms in memory.
 */
export type FakeLivekitCall = {
  service: string;
  method: string;
  body: Record<string, unknown>;
  grants: ClaimGrants;
};

type FakeIngress = Record<string, unknown> & { ingressId: string; roomName: string };

export type FakeLivekit = {
  url: string;
  apiKey: string;
  apiSecret: string;
  calls: FakeLivekitCall[];
  ingresses: Map<string, FakeIngress>;
  /** Methods that answer 503 until removed, as a LiveKit that is down. */
  failing: Set<string>;
  deps: () => LivekitDeps;
  stop: () => Promise<void>;
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const twirpError = (status: number, code: string, msg: string) => json({ code, msg }, status);

export function startFakeLivekit(options: { apiKey?: string; apiSecret?: string } = {}): FakeLivekit {
  const apiKey = options.apiKey ?? 'devkey';
  const apiSecret = options.apiSecret ?? 'secret';
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const calls: FakeLivekitCall[] = [];
  const ingresses = new Map<string, FakeIngress>();
  const rooms = new Map<string, Record<string, unknown>>();
  const failing = new Set<string>();
  let counter = 0;

  const handlers: Record<string, (body: Record<string, unknown>, port: number) => Response> = {
    'Ingress/CreateIngress': (body, port) => {
      counter += 1;
      const whip = body.inputType === 'WHIP_INPUT';
      const ingress: FakeIngress = {
        ingressId: `IN_fake${counter}`,
        name: body.name ?? '',
        streamKey: `sk_${crypto.randomUUID().replaceAll('-', '')}`,
        url: whip ? `http://127.0.0.1:${port}/w` : `rtmp://127.0.0.1:${port}/x`,
        inputType: whip ? 'WHIP_INPUT' : 'RTMP_INPUT',
        roomName: String(body.roomName ?? ''),
        participantIdentity: body.participantIdentity ?? '',
        participantName: body.participantName ?? '',
        enableTranscoding: body.enableTranscoding ?? false,
        ...(body.video ? { video: body.video } : {}),
        reusable: !whip,
        state: { status: 'ENDPOINT_INACTIVE' },
      };
      ingresses.set(ingress.ingressId, ingress);
      return json(ingress);
    },
    'Ingress/DeleteIngress': (body) => {
      const ingress = ingresses.get(String(body.ingressId));
      if (!ingress) return twirpError(404, 'not_found', 'ingress does not exist');
      ingresses.delete(ingress.ingressId);
      return json(ingress);
    },
    'Ingress/ListIngress': (body) =>
      json({
        items: [...ingresses.values()].filter(
          (ingress) =>
            (!body.roomName || ingress.roomName === body.roomName) &&
            (!body.ingressId || ingress.ingressId === body.ingressId),
        ),
      }),
    'RoomService/CreateRoom': (body) => {
      const room = {
        sid: `RM_fake${++counter}`,
        name: body.name,
        creationTime: String(Math.floor(Date.now() / 1000)),
      };
      rooms.set(String(body.name), room);
      return json(room);
    },
    'RoomService/ListRooms': (body) => {
      const names = (body.names as string[] | undefined) ?? [];
      return json({
        rooms: [...rooms.values()].filter((room) => names.length === 0 || names.includes(String(room.name))),
      });
    },
    'RoomService/DeleteRoom': (body) => {
      rooms.delete(String(body.room));
      return json({});
    },
    'RoomService/ListParticipants': () => json({ participants: [] }),
  };

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request, self): Promise<Response> {
      const match = /^\/twirp\/livekit\.(\w+)\/(\w+)$/.exec(new URL(request.url).pathname);
      if (request.method !== 'POST' || !match) return twirpError(404, 'bad_route', 'no such method');
      const [, service, method] = match as unknown as [string, string, string];
      let grants: ClaimGrants;
      try {
        grants = await verifier.verify((request.headers.get('authorization') ?? '').replace(/^Bearer /, ''));
      } catch {
        return twirpError(401, 'unauthenticated', 'invalid token');
      }
      const body = (await request.json()) as Record<string, unknown>;
      calls.push({ service, method, body, grants });
      if (failing.has(method)) return twirpError(503, 'unavailable', 'fake LiveKit is down');
      const handler = handlers[`${service}/${method}`];
      return handler ? handler(body, self.port!) : twirpError(501, 'unimplemented', `${method} is not faked`);
    },
  });
  const url = `ws://127.0.0.1:${server.port}`;
  return {
    url,
    apiKey,
    apiSecret,
    calls,
    ingresses,
    failing,
    deps: () => createLivekit({ url, apiKey, apiSecret }),
    stop: async () => {
      await server.stop(true);
    },
  };
}

/** A webhook body as LiveKit posts it (protobuf JSON: int64 as strings), and its `Authorization` header. */
export async function signedLivekitWebhook(
  event: Record<string, unknown>,
  keys: { apiKey: string; apiSecret: string } = { apiKey: 'devkey', apiSecret: 'secret' },
): Promise<{ body: string; authorization: string }> {
  const body = JSON.stringify(event);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const token = new AccessToken(keys.apiKey, keys.apiSecret);
  token.sha256 = Buffer.from(digest).toString('base64');
  return { body, authorization: await token.toJwt() };
}

let eventCounter = 0;

/** A LiveKit webhook event for a room, with a fresh id and `createdAt` in seconds. */
export function livekitEvent(
  event: string,
  room: string,
  options: {
    at?: Date;
    id?: string;
    participant?: { sid: string; identity: string; kind?: string };
    ingress?: { ingressId: string; error?: string };
    roomCreatedAt?: Date;
  } = {},
): Record<string, unknown> {
  eventCounter += 1;
  const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
  return {
    event,
    id: options.id ?? `EV_${eventCounter}_${crypto.randomUUID().slice(0, 8)}`,
    createdAt: seconds(options.at ?? new Date()),
    room: {
      sid: `RM_${room}`,
      name: room,
      ...(options.roomCreatedAt ? { creationTime: seconds(options.roomCreatedAt) } : {}),
    },
    ...(options.participant
      ? { participant: { kind: 'STANDARD', state: 'ACTIVE', ...options.participant } }
      : {}),
    ...(options.ingress
      ? {
          ingressInfo: {
            ingressId: options.ingress.ingressId,
            roomName: room,
            state: {
              status: options.ingress.error ? 'ENDPOINT_ERROR' : 'ENDPOINT_PUBLISHING',
              error: options.ingress.error ?? '',
            },
          },
        }
      : {}),
  };
}
