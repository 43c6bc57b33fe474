import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { categories, channelBans, streams } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { TokenVerifier } from 'livekit-server-sdk';
import type { CoreDeps } from '../kernel/deps.ts';
import {
  createTestDeps,
  createTestUser,
  type FakeLivekit,
  refusal,
  startFakeLivekit,
  type TestDeps,
} from '../testing.ts';
import { createStreamIngress, getStreamIngress, resetStreamIngress } from './ingress.ts';
import { createLivekit, MEDIA_UNAVAILABLE } from './livekit.ts';
import { HOST_TOKEN_TTL_SECONDS, hostToken, VIEWER_TOKEN_TTL_SECONDS, viewerToken } from './media.ts';
import { NO_INGRESS_SERVICE, NO_MEDIA_SERVER_FOR_INGRESS } from './media-status.ts';
import { createStream, startStream, streamById } from './streams.ts';

let deps: TestDeps;
let fake: FakeLivekit;
const verifier = new TokenVerifier('devkey', 'secret');

beforeAll(async () => {
  fake = startFakeLivekit();
  deps = await createTestDeps({ livekit: fake.deps() });
});
afterAll(async () => {
  await fake.stop();
  await deps.database.drop();
});

async function liveStream(options: { nsfw?: boolean; live?: boolean } = {}) {
  const { user } = await createTestUser(deps, { role: 'streamer' });
  const view = await createStream(deps, user.id, {
    title: 'Pottery',
    description: 'Wheel throwing',
    tags: [],
    nsfw: options.nsfw ?? false,
    language: 'en',
    settings: {},
  });
  if (options.live !== false) await startStream(deps, user, view.id);
  return { owner: user, stream: view };
}

describe('join tokens', () => {
  test('the owner gets a publish token for this room only, short-lived', async () => {
    const { owner, stream } = await liveStream({ live: false });
    const issued = await hostToken(deps, owner, stream.id);
    const claims = await verifier.verify(issued.token);
    expect(issued).toMatchObject({ url: fake.url, room: `stream-${stream.id}`, canPublish: true });
    expect(claims.sub).toBe(`host:${owner.id}`);
    expect(claims.video).toMatchObject({
      roomJoin: true,
      room: `stream-${stream.id}`,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
    });
    expect(claims.exp! - claims.nbf!).toBe(HOST_TOKEN_TTL_SECONDS);
  });

  test('nobody else gets a publish token, not even an admin', async () => {
    const { stream } = await liveStream();
    const { user: admin } = await createTestUser(deps, { role: 'admin' });
    const { user: other } = await createTestUser(deps, { role: 'streamer' });
    for (const user of [admin, other]) {
      await expect(hostToken(deps, user, stream.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  test('viewers and guests get subscribe-only tokens for a live stream, with distinct identities', async () => {
    const { stream } = await liveStream();
    const { user } = await createTestUser(deps);
    const mine = await viewerToken(deps, user, stream.id);
    const guest = await viewerToken(deps, null, stream.id);
    for (const issued of [mine, guest]) {
      const claims = await verifier.verify(issued.token);
      expect(claims.video).toMatchObject({
        roomJoin: true,
        room: `stream-${stream.id}`,
        canPublish: false,
        canSubscribe: true,
        canPublishData: false,
      });
      expect(claims.exp! - claims.nbf!).toBe(VIEWER_TOKEN_TTL_SECONDS);
      expect(issued.canPublish).toBe(false);
    }
    expect((await verifier.verify(mine.token)).sub).toStartWith(`u:${user.id}:`);
    expect((await verifier.verify(guest.token)).sub).toStartWith('g:');
  });

  test('no viewer token for a stream that is not live, nor for someone the streamer banned', async () => {
    const { owner, stream: draft } = await liveStream({ live: false });
    await expect(viewerToken(deps, null, draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewerToken(deps, owner, draft.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const { owner: streamer, stream } = await liveStream();
    const { user } = await createTestUser(deps);
    await deps.db.insert(channelBans).values({ channelId: streamer.id, userId: user.id, reason: 'spam' });
    await expect(viewerToken(deps, user, stream.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('the NSFW gate: guests must sign in, unverified viewers must verify; nothing leaks before that', async () => {
    const { owner, stream } = await liveStream({ nsfw: true });
    await deps.db
      .update(streams)
      .set({
        thumbnailUrl: 'https://cdn.example/t.jpg',
        description: 'adults only',
        title: 'Late show',
        tags: ['adult'],
      })
      .where(eq(streams.id, stream.id));
    const { user: unverified } = await createTestUser(deps, { dateOfBirth: '2010-01-01' });
    const { user: verified } = await createTestUser(deps, { ageVerified: true });
    await expect(viewerToken(deps, null, stream.id)).rejects.toThrow('Sign in');
    await expect(viewerToken(deps, unverified, stream.id)).rejects.toThrow('Verify your age');
    expect((await viewerToken(deps, verified, stream.id)).canPublish).toBe(false);
    expect(await streamById(deps, null, stream.id)).toMatchObject({
      gate: 'sign_in',
      title: '',
      tags: [],
      thumbnailUrl: null,
      description: '',
    });
    expect(await streamById(deps, unverified, stream.id)).toMatchObject({
      gate: 'verify_age',
      title: '',
      tags: [],
      thumbnailUrl: null,
      description: '',
    });
    expect(await streamById(deps, verified, stream.id)).toMatchObject({
      gate: null,
      title: 'Late show',
      tags: ['adult'],
      thumbnailUrl: 'https://cdn.example/t.jpg',
      description: 'adults only',
    });
    expect((await streamById(deps, owner, stream.id)).gate).toBeNull();
  });

  test('an adult category makes a stream NSFW whatever the streamer says', async () => {
    const [adult] = await deps.db
      .insert(categories)
      .values({ slug: 'after-dark', name: 'After dark', adult: true })
      .returning();
    const { user } = await createTestUser(deps, { role: 'streamer' });
    const view = await createStream(deps, user.id, {
      title: 'Late',
      description: '',
      categoryId: adult!.id,
      tags: [],
      nsfw: false,
      language: 'en',
      settings: {},
    });
    expect(view.nsfw).toBe(true);
  });
});

describe('OBS ingress through the LiveKit API (a local fake of its Twirp endpoints)', () => {
  test('create → get → reset: the owner sees the key; reset deletes the old ingress first', async () => {
    const { owner, stream } = await liveStream({ live: false });
    fake.calls.length = 0;
    const created = await createStreamIngress(deps, owner, {
      streamId: stream.id,
      kind: 'rtmp',
      preset: '1080p',
    });
    expect(created).toMatchObject({ kind: 'rtmp', preset: '1080p' });
    expect(created.url).toStartWith('rtmp://');
    const [call] = fake.calls;
    expect(call).toMatchObject({
      service: 'Ingress',
      method: 'CreateIngress',
      body: {
        roomName: `stream-${stream.id}`,
        participantIdentity: `ingress:${stream.id}`,
        enableTranscoding: true,
        video: { preset: 'H264_1080P_30FPS_3_LAYERS' },
      },
      grants: { video: { ingressAdmin: true } },
    });
    // RTMP is input type 0, which protobuf JSON leaves out.
    expect(call!.body.inputType ?? 'RTMP_INPUT').toBe('RTMP_INPUT');
    expect(await getStreamIngress(deps, owner, stream.id)).toEqual(created);
    await expect(
      createStreamIngress(deps, owner, { streamId: stream.id, kind: 'whip', preset: '720p' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    fake.calls.length = 0;
    const reset = await resetStreamIngress(deps, owner, stream.id);
    expect(fake.calls.map((c) => c.method)).toEqual(['DeleteIngress', 'CreateIngress']);
    expect(fake.calls[0]!.body).toEqual({ ingressId: created.ingressId });
    expect(reset.streamKey).not.toBe(created.streamKey);
    expect(fake.ingresses.has(created.ingressId)).toBe(false);
    expect(fake.ingresses.has(reset.ingressId)).toBe(true);
    expect(await getStreamIngress(deps, owner, stream.id)).toEqual(reset);
  });

  test('WHIP passthrough turns transcoding off', async () => {
    const { owner, stream } = await liveStream({ live: false });
    fake.calls.length = 0;
    const created = await createStreamIngress(deps, owner, {
      streamId: stream.id,
      kind: 'whip',
      preset: 'passthrough',
    });
    expect(created.kind).toBe('whip');
    expect(fake.calls[0]!.body).toMatchObject({ inputType: 'WHIP_INPUT' });
    expect(fake.calls[0]!.body.enableTranscoding ?? false).toBe(false);
  });

  test('nobody but the owner sees or changes the key', async () => {
    const { owner, stream } = await liveStream({ live: false });
    await createStreamIngress(deps, owner, { streamId: stream.id, kind: 'rtmp', preset: '720p' });
    const { user: admin } = await createTestUser(deps, { role: 'admin' });
    await expect(getStreamIngress(deps, admin, stream.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resetStreamIngress(deps, admin, stream.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await streamById(deps, admin, stream.id).catch(() => null)).toBeNull();
  });

  test('LiveKit down or unreachable: a stream key is refused with a sentence saying what to start, nothing stored', async () => {
    const { owner, stream } = await liveStream({ live: false });
    const create = (on: CoreDeps) =>
      createStreamIngress(on, owner, { streamId: stream.id, kind: 'rtmp', preset: '720p' });
    // LiveKit answers but cannot make an ingress (no ingress service): development says what is missing.
    fake.failing.add('CreateIngress');
    try {
      await expect(create(deps)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: NO_INGRESS_SERVICE });
    } finally {
      fake.failing.delete('CreateIngress');
    }
    // No media server at all: development says how to start one; production that it is unreachable.
    const offline = {
      ...deps,
      livekit: createLivekit({ url: 'ws://127.0.0.1:9', apiKey: 'devkey', apiSecret: 'secret' }),
    };
    const refused = await refusal(create(offline));
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: NO_MEDIA_SERVER_FOR_INGRESS });
    expect(refused.message).toContain('livekit-server --dev');
    await expect(create({ ...offline, streams: { liveWithoutMedia: false } })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: MEDIA_UNAVAILABLE,
    });
    expect(await getStreamIngress(deps, owner, stream.id)).toBeNull();
  });

  test('a reset whose delete fails keeps the old key; one whose create fails leaves no key', async () => {
    const { owner, stream } = await liveStream({ live: false });
    const created = await createStreamIngress(deps, owner, {
      streamId: stream.id,
      kind: 'rtmp',
      preset: '720p',
    });
    fake.failing.add('DeleteIngress');
    await expect(resetStreamIngress(deps, owner, stream.id)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    fake.failing.delete('DeleteIngress');
    expect(await getStreamIngress(deps, owner, stream.id)).toEqual(created);
    fake.failing.add('CreateIngress');
    await expect(resetStreamIngress(deps, owner, stream.id)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    fake.failing.delete('CreateIngress');
    expect(fake.ingresses.has(created.ingressId)).toBe(false);
    expect(await getStreamIngress(deps, owner, stream.id)).toBeNull();
  });
});
