import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { notifications, type Stream, streams, userFollows } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { WebhookEvent } from 'livekit-server-sdk';
import type { BusEvent } from '../kernel/ports.ts';
import {
  createTestDeps,
  createTestUser,
  type FakeLivekit,
  livekitEvent,
  startFakeLivekit,
  type TestDeps,
} from '../testing.ts';
import { createStream, startStream, stopStream, streamById } from './streams.ts';
import { recordViewerCount } from './viewers.ts';
import { handleLivekitWebhook } from './webhooks.ts';

let deps: TestDeps;
let fake: FakeLivekit;
const published: Array<{ topic: string; event: BusEvent }> = [];

beforeAll(async () => {
  fake = startFakeLivekit();
  deps = await createTestDeps({ livekit: fake.deps() });
  const publish = deps.bus.publish;
  deps.bus.publish = async (topic, event) => {
    published.push({ topic, event });
    await publish(topic, event);
  };
});
afterAll(async () => {
  await fake.stop();
  await deps.database.drop();
});

async function streamer() {
  const { user } = await createTestUser(deps, { role: 'streamer' });
  return user;
}

async function draft(owner?: Awaited<ReturnType<typeof streamer>>) {
  const user = owner ?? (await streamer());
  const view = await createStream(deps, user.id, {
    title: 'Night synths',
    description: '',
    tags: ['synth'],
    nsfw: false,
    language: 'en',
    settings: {},
  });
  return { user, view, room: `stream-${view.id}` };
}

async function row(id: string): Promise<Stream> {
  const [found] = await deps.db.select().from(streams).where(eq(streams.id, id));
  return found!;
}

/** A webhook as the server module hands it over: parsed the way WebhookReceiver parses it. */
const deliver = (event: Record<string, unknown>) =>
  handleLivekitWebhook(deps, WebhookEvent.fromJson(event as never, { ignoreUnknownFields: true }));

const at = (seconds: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, seconds));

describe('start and stop', () => {
  test('draft → live → ended, with times, duration, the state event and follower notifications', async () => {
    const { user, view } = await draft();
    expect(view.status).toBe('draft');
    const fans = await Promise.all([createTestUser(deps), createTestUser(deps), createTestUser(deps)]);
    await deps.db.insert(userFollows).values([
      { followerId: fans[0]!.user.id, followeeId: user.id },
      { followerId: fans[1]!.user.id, followeeId: user.id },
      { followerId: fans[2]!.user.id, followeeId: user.id, notify: false },
    ]);
    published.length = 0;
    const live = await startStream(deps, user, view.id);
    expect(live.status).toBe('live');
    expect(live.startedAt).toBeInstanceOf(Date);
    expect(published).toContainEqual({
      topic: `stream:${view.id}`,
      event: expect.objectContaining({ type: 'stream.state', status: 'live' }),
    });
    expect(
      (await deps.db.select().from(notifications).where(eq(notifications.kind, 'stream.live'))).length,
    ).toBe(2);
    const notified = published.filter((p) => p.event.type === 'notification').map((p) => p.topic);
    expect(notified.sort()).toEqual([`user:${fans[0]!.user.id}`, `user:${fans[1]!.user.id}`].sort());

    const again = await startStream(deps, user, view.id);
    expect(again.startedAt).toEqual(live.startedAt);

    fake.calls.length = 0;
    const ended = await stopStream(deps, user, view.id);
    expect(ended).toMatchObject({ status: 'ended', endedReason: 'stopped', currentViewers: 0 });
    expect(ended.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(fake.calls.map((c) => c.method)).toContain('DeleteRoom');
    await expect(startStream(deps, user, view.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await stopStream(deps, user, view.id)).endedAt).toEqual(ended.endedAt);
  });

  test('one stream that is not over per streamer; a new one after the last ended', async () => {
    const { user, view } = await draft();
    await expect(draft(user)).rejects.toMatchObject({ code: 'CONFLICT' });
    await startStream(deps, user, view.id);
    await stopStream(deps, user, view.id);
    expect((await draft(user)).view.status).toBe('draft');
  });

  test('only the owner starts; the owner or staff stop; a draft cannot be stopped', async () => {
    const { user, view } = await draft();
    const other = await streamer();
    const { user: moderator } = await createTestUser(deps, { role: 'moderator' });
    await expect(startStream(deps, other, view.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(stopStream(deps, user, view.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await startStream(deps, user, view.id);
    await expect(stopStream(deps, other, view.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await stopStream(deps, moderator, view.id)).status).toBe('ended');
  });

  test('a draft is visible to its owner only', async () => {
    const { user, view } = await draft();
    expect((await streamById(deps, user, view.id)).isOwner).toBe(true);
    await expect(streamById(deps, null, view.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('LiveKit webhooks drive the state machine', () => {
  test('room_started makes it live; a replay is recognised; room_finished ends it; nothing resurrects it', async () => {
    const { view, room } = await draft();
    const started = livekitEvent('room_started', room, { at: at(0) });
    expect(await deliver(started)).toMatchObject({ outcome: 'applied' });
    expect(await row(view.id)).toMatchObject({ status: 'live', startedAt: at(0) });
    expect(await deliver(started)).toMatchObject({ outcome: 'duplicate' });

    const finished = livekitEvent('room_finished', room, { at: at(90) });
    expect(await deliver(finished)).toMatchObject({ outcome: 'applied' });
    expect(await row(view.id)).toMatchObject({
      status: 'ended',
      endedAt: at(90),
      endedReason: 'room_finished',
    });

    expect(await deliver(livekitEvent('room_started', room, { at: at(120) }))).toMatchObject({
      outcome: 'ignored',
    });
    expect(await deliver(livekitEvent('ingress_started', room, { at: at(130) }))).toMatchObject({
      outcome: 'ignored',
    });
    expect((await row(view.id)).status).toBe('ended');
    expect((await streamById(deps, null, view.id)).durationSeconds).toBe(90);
  });

  test('room_finished before room_started (out of order): ended, and the late start only fills in the time', async () => {
    const { view, room } = await draft();
    await deliver(livekitEvent('room_finished', room, { at: at(60) }));
    expect(await row(view.id)).toMatchObject({ status: 'ended', startedAt: null, endedAt: at(60) });
    await deliver(livekitEvent('room_started', room, { at: at(5) }));
    expect(await row(view.id)).toMatchObject({ status: 'ended', startedAt: at(5), endedAt: at(60) });
  });

  test('room_finished carries the room’s creation time when the start never arrived', async () => {
    const { view, room } = await draft();
    await deliver(livekitEvent('room_finished', room, { at: at(50), roomCreatedAt: at(10) }));
    expect(await row(view.id)).toMatchObject({ status: 'ended', startedAt: at(10), endedAt: at(50) });
  });

  test('an end older than the current start belongs to an earlier session and is ignored', async () => {
    const { user, view, room } = await draft();
    await startStream(deps, user, view.id);
    const startedAt = (await row(view.id)).startedAt!;
    const stale = livekitEvent('room_finished', room, { at: new Date(startedAt.getTime() - 60_000) });
    expect(await deliver(stale)).toMatchObject({ outcome: 'ignored' });
    expect((await row(view.id)).status).toBe('live');
  });

  test('ingress events count only for the stream’s current ingress; an ingress error is recorded', async () => {
    const { view, room } = await draft();
    await deps.db
      .update(streams)
      .set({ ingressId: 'IN_current', ingressKind: 'rtmp' })
      .where(eq(streams.id, view.id));
    const old = { ingressId: 'IN_old' };
    expect(await deliver(livekitEvent('ingress_started', room, { at: at(1), ingress: old }))).toMatchObject({
      outcome: 'ignored',
    });
    expect((await row(view.id)).status).toBe('draft');
    await deliver(livekitEvent('ingress_started', room, { at: at(2), ingress: { ingressId: 'IN_current' } }));
    expect((await row(view.id)).status).toBe('live');
    await deliver(livekitEvent('ingress_ended', room, { at: at(3), ingress: old }));
    expect((await row(view.id)).status).toBe('live');
    await deliver(
      livekitEvent('ingress_ended', room, {
        at: at(40),
        ingress: { ingressId: 'IN_current', error: 'bad codec' },
      }),
    );
    expect(await row(view.id)).toMatchObject({
      status: 'ended',
      endedReason: 'ingress_error',
      ingressId: null,
    });
  });

  test('events for rooms that are not ours change nothing', async () => {
    expect(await deliver(livekitEvent('room_started', 'someone-elses-room'))).toMatchObject({
      outcome: 'ignored',
      reason: 'unknown room',
    });
  });
});

describe('unique views from participant webhooks; the live count from presence', () => {
  const viewer = (n: number) => ({ sid: `PA_${n}`, identity: `g:guest-${n}` });

  test('joins count unique views; hosts, ingress and the owner are not viewers; the live count is left to presence', async () => {
    const { user, view, room } = await draft();
    await startStream(deps, user, view.id);
    for (const n of [1, 2, 3])
      await deliver(livekitEvent('participant_joined', room, { participant: viewer(n) }));
    await deliver(
      livekitEvent('participant_joined', room, { participant: { sid: 'PA_h', identity: `host:${user.id}` } }),
    );
    await deliver(
      livekitEvent('participant_joined', room, {
        participant: { sid: 'PA_o', identity: `u:${user.id}:abcd1234` },
      }),
    );
    await deliver(
      livekitEvent('participant_joined', room, {
        participant: { sid: 'PA_i', identity: `ingress:${view.id}`, kind: 'INGRESS' },
      }),
    );
    expect(await row(view.id)).toMatchObject({ currentViewers: 0, peakViewers: 0, totalViews: 3 });
    await deliver(livekitEvent('participant_left', room, { participant: viewer(2) }));
    const fan = (await createTestUser(deps)).user;
    // One user in two tabs is two sessions but one view.
    for (const sid of ['PA_t1', 'PA_t2']) {
      await deliver(
        livekitEvent('participant_joined', room, { participant: { sid, identity: `u:${fan.id}:${sid}` } }),
      );
    }
    expect(await row(view.id)).toMatchObject({ currentViewers: 0, totalViews: 4 });
  });

  test('replayed and out-of-order participant events count each unique view once', async () => {
    const { user, view, room } = await draft();
    await startStream(deps, user, view.id);
    const events: Record<string, unknown>[] = [];
    const stays = new Set<number>();
    for (let n = 0; n < 40; n++) {
      events.push(livekitEvent('participant_joined', room, { participant: viewer(n), at: at(n) }));
      if (n % 3 === 0) stays.add(n);
      else events.push(livekitEvent('participant_left', room, { participant: viewer(n), at: at(n + 30) }));
    }
    // Shuffle (leaves may come before their joins) and replay a third of them.
    const deliveries = [...events, ...events.filter((_, i) => i % 3 === 0)];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    for (const event of deliveries) {
      await deliver(event);
      expect((await row(view.id)).totalViews).toBeLessThanOrEqual(40);
    }
    expect(stays.size).toBeGreaterThan(0);
    expect(await row(view.id)).toMatchObject({ currentViewers: 0, totalViews: 40 });
  });

  test('after the stream ends, participant events change nothing', async () => {
    const { user, view, room } = await draft();
    await startStream(deps, user, view.id);
    await deliver(livekitEvent('participant_joined', room, { participant: viewer(1) }));
    await stopStream(deps, user, view.id);
    await deliver(livekitEvent('participant_joined', room, { participant: viewer(2) }));
    await deliver(livekitEvent('participant_left', room, { participant: viewer(1) }));
    expect(await row(view.id)).toMatchObject({
      status: 'ended',
      currentViewers: 0,
      totalViews: 1,
    });
  });

  test('presence writes the live count, the peak and the trending score; an ended stream keeps its zero', async () => {
    const { user, view } = await draft();
    await startStream(deps, user, view.id);
    const before = await row(view.id);
    await recordViewerCount(deps, view.id, 7);
    expect(await row(view.id)).toMatchObject({ currentViewers: 7, peakViewers: 7 });
    expect((await row(view.id)).trendingScore).toBeGreaterThan(before.trendingScore);
    await recordViewerCount(deps, view.id, 3);
    expect(await row(view.id)).toMatchObject({ currentViewers: 3, peakViewers: 7 });
    await stopStream(deps, user, view.id);
    await recordViewerCount(deps, view.id, 5);
    expect(await row(view.id)).toMatchObject({ status: 'ended', currentViewers: 0, peakViewers: 7 });
  });
});
