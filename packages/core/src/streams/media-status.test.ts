import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { streams, userFollows } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import type { BusEvent } from '../kernel/ports.ts';
import { createTestDeps, createTestUser, refusal, startFakeLivekit, type TestDeps } from '../testing.ts';
import { MEDIA_UNAVAILABLE } from './livekit.ts';
import { NO_MEDIA_SERVER_DEV } from './media-status.ts';
import { createStream, currentStreams, startStream, streamById } from './streams.ts';

let deps: TestDeps;
const published: Array<{ topic: string; event: BusEvent }> = [];

beforeAll(async () => {
  // LiveKit down: the test deps' default media server is a port where nothing listens.
  deps = await createTestDeps();
  const publish = deps.bus.publish;
  deps.bus.publish = async (topic, event) => {
    published.push({ topic, event });
    await publish(topic, event);
  };
});
afterAll(() => deps.database.drop());

/** A streamer with a draft and a follower who wants go-live notifications. */
async function draftWithFollower() {
  const { user } = await createTestUser(deps, { role: 'streamer' });
  const fan = await createTestUser(deps);
  await deps.db.insert(userFollows).values({ followerId: fan.user.id, followeeId: user.id });
  const view = await createStream(deps, user.id, {
    title: 'Sourdough at dawn',
    description: '',
    tags: [],
    nsfw: false,
    language: 'en',
    settings: {},
  });
  return { user, fan: fan.user, view };
}

describe('going live with no media server', () => {
  test('development: the stream is live for chat, tips and goals, announced as usual, and says no video is sent', async () => {
    const { user, fan, view } = await draftWithFollower();
    expect(view.media).toEqual({ videoAvailable: false, reason: NO_MEDIA_SERVER_DEV });
    published.length = 0;

    const live = await startStream(deps, user, view.id);

    expect(live.status).toBe('live');
    expect(live.startedAt).toBeInstanceOf(Date);
    expect(live.media.videoAvailable).toBe(false);
    expect(live.media.reason).toContain('livekit-server --dev');
    expect(live.media.reason).toContain('https://get.livekit.io');
    const [row] = await deps.db.select().from(streams).where(eq(streams.id, view.id));
    expect(row).toMatchObject({ status: 'live', startedAt: live.startedAt });
    expect(published).toContainEqual({
      topic: `stream:${view.id}`,
      event: expect.objectContaining({ type: 'stream.state', status: 'live' }),
    });
    expect(published).toContainEqual({
      topic: `user:${fan.id}`,
      event: {
        type: 'notification',
        notification: expect.objectContaining({
          kind: 'stream.live',
          payload: expect.objectContaining({ streamId: view.id }),
        }),
      },
    });
    // The stream page and the studio read the same: live, no video, and why.
    const page = await streamById(deps, fan, view.id);
    expect(page).toMatchObject({ status: 'live', media: { videoAvailable: false } });
    const studio = await currentStreams(deps, user);
    expect(studio.stream?.media.reason).toBe(NO_MEDIA_SERVER_DEV);
  });

  test('production: going live is refused as unreachable, nothing is stored and nothing announced', async () => {
    const production = { ...deps, streams: { liveWithoutMedia: false } };
    const { user, view } = await draftWithFollower();
    published.length = 0;

    const refused = await refusal(startStream(production, user, view.id));

    expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: MEDIA_UNAVAILABLE });
    const [row] = await deps.db.select().from(streams).where(eq(streams.id, view.id));
    expect(row).toMatchObject({ status: 'draft', startedAt: null });
    expect(published).toEqual([]);
    expect((await streamById(production, user, view.id)).media.reason).toBe(MEDIA_UNAVAILABLE);
  });
});

test('with a media server answering, both modes go live and the view says video can flow', async () => {
  const fake = startFakeLivekit();
  try {
    for (const liveWithoutMedia of [true, false]) {
      const up = { ...deps, livekit: fake.deps(), streams: { liveWithoutMedia } };
      const { user, view } = await draftWithFollower();
      const live = await startStream(up, user, view.id);
      expect(live).toMatchObject({ status: 'live', media: { videoAvailable: true, reason: null } });
    }
  } finally {
    await fake.stop();
  }
});
