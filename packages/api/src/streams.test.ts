import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  createLivekit,
  MEDIA_UNAVAILABLE,
  NO_MEDIA_SERVER_DEV,
  NO_MEDIA_SERVER_FOR_INGRESS,
} from '@app/core';
import {
  createTestDeps,
  createTestUser,
  type FakeLivekit,
  startFakeLivekit,
  type TestDeps,
  UNREACHABLE_LIVEKIT,
} from '@app/core/testing';
import { categories, regions, streams, userFollows } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/** Every streams / follows procedure × every role, as in procedures.test.ts. */
type Role = 'anonymous' | 'viewer' | 'streamer' | 'moderator' | 'admin' | 'banned';
const ROLES: Role[] = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin', 'banned'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT' | 'NOT_FOUND';

let deps: TestDeps;
let fake: FakeLivekit;
let categoryId: number;
let regionId: number;
let someone: { id: string };
let someoneLive: string;
let someoneNsfw: string;

async function newDraft(token: string, title = 'Matrix draft') {
  const { caller } = await callerFor(deps, token);
  return caller.streams.create({ title, categoryId, tags: ['test'] });
}

beforeAll(async () => {
  fake = startFakeLivekit();
  deps = await createTestDeps({ livekit: fake.deps() });
  const [continent] = await deps.db
    .insert(regions)
    .values({ kind: 'continent', name: 'Asia', slug: 'asia', code: 'AS' })
    .returning();
  regionId = continent!.id;
  const [category] = await deps.db.insert(categories).values({ slug: 'music', name: 'Music' }).returning();
  categoryId = category!.id;
  const owner = await createTestUser(deps, { role: 'streamer' });
  someone = owner.user;
  const live = await newDraft(owner.token, 'Someone live');
  await (await callerFor(deps, owner.token)).caller.streams.start({ streamId: live.id });
  someoneLive = live.id;
  const adult = await createTestUser(deps, { role: 'streamer' });
  const nsfw = await (await callerFor(deps, adult.token)).caller.streams.create({
    title: 'Late show',
    nsfw: true,
  });
  await (await callerFor(deps, adult.token)).caller.streams.start({ streamId: nsfw.id });
  someoneNsfw = nsfw.id;
});
afterAll(async () => {
  await fake.stop();
  await deps.database.drop();
});

async function actAs(role: Role) {
  if (role === 'anonymous') return { ...(await callerFor(deps, null)), user: null, token: null };
  const { user, token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
    ageVerified: true,
  });
  return { ...(await callerFor(deps, token)), user, token };
}
type Actor = Awaited<ReturnType<typeof actAs>>;

/** The actor's own stream when they can have one, else someone else's: the owner-only rules show either way. */
async function ownStream(actor: Actor, live = false): Promise<string> {
  if (!actor.token || !actor.user || !['streamer', 'admin'].includes(actor.user.role)) return someoneLive;
  const draft = await newDraft(actor.token);
  if (live) await actor.caller.streams.start({ streamId: draft.id });
  return draft.id;
}

const signedIn = (expected: Outcome = 'ok'): Record<Role, Outcome> => ({
  anonymous: 'UNAUTHORIZED',
  banned: 'UNAUTHORIZED',
  viewer: expected,
  streamer: expected,
  moderator: expected,
  admin: expected,
});
const streamersOnly: Record<Role, Outcome> = { ...signedIn('FORBIDDEN'), streamer: 'ok', admin: 'ok' };
const everyone: Record<Role, Outcome> = {
  anonymous: 'ok',
  banned: 'ok',
  viewer: 'ok',
  streamer: 'ok',
  moderator: 'ok',
  admin: 'ok',
};

const MATRIX: Array<[string, (actor: Actor) => Promise<unknown>, Record<Role, Outcome>]> = [
  [
    'streams.create',
    (a) => a.caller.streams.create({ title: 'New one', categoryId, regionId }),
    streamersOnly,
  ],
  [
    'streams.update',
    async (a) => a.caller.streams.update({ streamId: await ownStream(a), title: 'Renamed', tags: ['x'] }),
    streamersOnly,
  ],
  ['streams.current', (a) => a.caller.streams.current(), streamersOnly],
  ['streams.byId', (a) => a.caller.streams.byId({ streamId: someoneLive }), everyone],
  ['streams.live', (a) => a.caller.streams.live({ sort: 'viewers', categoryId, regionId }), everyone],
  ['streams.featured', (a) => a.caller.streams.featured(), everyone],
  ['streams.start', async (a) => a.caller.streams.start({ streamId: await ownStream(a) }), streamersOnly],
  [
    'streams.stop',
    async (a) => {
      const streamId = a.user?.role === 'moderator' ? await liveStreamOfSomeone() : await ownStream(a, true);
      return a.caller.streams.stop({ streamId });
    },
    { ...signedIn('FORBIDDEN'), streamer: 'ok', moderator: 'ok', admin: 'ok' },
  ],
  [
    'streams.hostToken',
    async (a) => a.caller.streams.hostToken({ streamId: await ownStream(a) }),
    streamersOnly,
  ],
  // A banned user has no session any more: to the server they are a guest, and guests may watch SFW streams.
  ['streams.viewerToken (SFW)', (a) => a.caller.streams.viewerToken({ streamId: someoneLive }), everyone],
  [
    'streams.viewerToken (NSFW)',
    (a) => a.caller.streams.viewerToken({ streamId: someoneNsfw }),
    { ...signedIn(), anonymous: 'FORBIDDEN', banned: 'FORBIDDEN' },
  ],
  [
    'streams.ingress.create',
    async (a) =>
      a.caller.streams.ingress.create({ streamId: await ownStream(a), kind: 'rtmp', preset: '720p' }),
    streamersOnly,
  ],
  [
    'streams.ingress.reset',
    async (a) => {
      const streamId = await ownStream(a);
      if (streamId !== someoneLive)
        await a.caller.streams.ingress.create({ streamId, kind: 'whip', preset: '540p' });
      return a.caller.streams.ingress.reset({ streamId });
    },
    streamersOnly,
  ],
  [
    'streams.ingress.get',
    async (a) => a.caller.streams.ingress.get({ streamId: await ownStream(a) }),
    streamersOnly,
  ],
  ['users.follow', (a) => a.caller.users.follow({ userId: someone.id }), signedIn()],
  ['users.unfollow', (a) => a.caller.users.unfollow({ userId: someone.id }), signedIn()],
  ['users.followers', (a) => a.caller.users.followers({ userId: someone.id }), everyone],
  ['users.following', (a) => a.caller.users.following({ userId: someone.id }), everyone],
  ['users.streams', (a) => a.caller.users.streams({ userId: someone.id }), everyone],
  ['regions.stats', (a) => a.caller.regions.stats(), everyone],
  ['categories.list', (a) => a.caller.categories.list(), everyone],
];

async function liveStreamOfSomeone(): Promise<string> {
  const owner = await createTestUser(deps, { role: 'streamer' });
  const draft = await newDraft(owner.token);
  await (await callerFor(deps, owner.token)).caller.streams.start({ streamId: draft.id });
  return draft.id;
}

describe('streams procedure × role', () => {
  for (const [name, call, expected] of MATRIX) {
    for (const role of ROLES) {
      test(`${name} as ${role}: ${expected[role]}`, async () => {
        const actor = await actAs(role);
        const outcome = await call(actor).then(
          () => 'ok',
          (error) => (error instanceof TRPCError ? error.code : `unexpected ${error}`),
        );
        expect(outcome).toBe(expected[role]);
      });
    }
  }
});

describe('owner-only rules through the API', () => {
  test('another streamer cannot edit, start, take the host token or see the key of a stream', async () => {
    const owner = await createTestUser(deps, { role: 'streamer' });
    const draft = await newDraft(owner.token);
    await (await callerFor(deps, owner.token)).caller.streams.ingress.create({
      streamId: draft.id,
      kind: 'rtmp',
      preset: '720p',
    });
    const { caller } = (await actAs('streamer')) as Actor;
    const attempts = [
      () => caller.streams.update({ streamId: draft.id, title: 'Mine now' }),
      () => caller.streams.start({ streamId: draft.id }),
      () => caller.streams.hostToken({ streamId: draft.id }),
      () => caller.streams.ingress.get({ streamId: draft.id }),
      () => caller.streams.ingress.reset({ streamId: draft.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [row] = await deps.db.select().from(streams).where(eq(streams.id, draft.id));
    expect(row).toMatchObject({ title: 'Matrix draft', status: 'draft' });
  });

  test('without a media server, ingress.create says it needs LiveKit and how to start it, and stores nothing', async () => {
    const owner = await createTestUser(deps, { role: 'streamer' });
    const draft = await newDraft(owner.token);
    const offline = { ...deps, livekit: createLivekit(UNREACHABLE_LIVEKIT) };
    const error = await (await callerFor(offline, owner.token)).caller.streams.ingress
      .create({ streamId: draft.id, kind: 'rtmp', preset: '720p' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(NO_MEDIA_SERVER_FOR_INGRESS);
    expect(error.message).toContain('livekit-server --dev');
    const [row] = await deps.db.select().from(streams).where(eq(streams.id, draft.id));
    expect(row!.ingressId).toBeNull();
  });

  test('streams.start without a media server: live without video in development, refused in production', async () => {
    const offline = { ...deps, livekit: createLivekit(UNREACHABLE_LIVEKIT) };
    const owner = await createTestUser(deps, { role: 'streamer' });
    const draft = await newDraft(owner.token);
    const production = { ...offline, streams: { liveWithoutMedia: false } };
    const refused = await (await callerFor(production, owner.token)).caller.streams
      .start({ streamId: draft.id })
      .catch((e) => e);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED', message: MEDIA_UNAVAILABLE });
    const live = await (await callerFor(offline, owner.token)).caller.streams.start({ streamId: draft.id });
    expect(live).toMatchObject({
      status: 'live',
      media: { videoAvailable: false, reason: NO_MEDIA_SERVER_DEV },
    });
  });
});

describe('bad input gets a BAD_REQUEST and stores nothing', () => {
  const huge = 'x'.repeat(10_000);
  const badStreams: Array<[string, unknown]> = [
    ['no title', {}],
    ['blank title', { title: '   ' }],
    ['10 KB title', { title: huge }],
    ['10 KB description', { title: 'ok', description: huge }],
    ['javascript: thumbnail', { title: 'ok', thumbnailUrl: 'javascript:alert(1)' }],
    ['http thumbnail', { title: 'ok', thumbnailUrl: 'http://example.com/t.jpg' }],
    ['eleven tags', { title: 'ok', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }],
    ['HTML tag', { title: 'ok', tags: ['<script>'] }],
    ['unknown category', { title: 'ok', categoryId: 987654 }],
    ['unknown region', { title: 'ok', regionId: 987654 }],
    ['string category', { title: 'ok', categoryId: '1; DROP TABLE streams' }],
    ['bad language', { title: 'ok', language: 'english please' }],
    ['slow mode of a day', { title: 'ok', settings: { slowModeSeconds: 86_400 } }],
    ['unknown field', { title: 'ok', status: 'live' }],
  ];
  for (const [label, input] of badStreams) {
    test(`streams.create with ${label}`, async () => {
      const { token } = await createTestUser(deps, { role: 'streamer' });
      const before = await deps.db.select({ n: count() }).from(streams);
      const error = await (await callerFor(deps, token)).caller.streams
        .create(input as never)
        .catch((e) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).not.toContain('Invalid input');
      const after = await deps.db.select({ n: count() }).from(streams);
      expect(after[0]!.n).toBe(before[0]!.n);
    });
  }

  const badUpdates: Array<[string, unknown]> = [
    ['10 KB title', { title: huge }],
    ['status change', { status: 'live' }],
    ['unknown category', { categoryId: 987654 }],
  ];
  for (const [label, input] of badUpdates) {
    test(`streams.update with ${label}`, async () => {
      const { token } = await createTestUser(deps, { role: 'streamer' });
      const draft = await newDraft(token);
      const error = await (await callerFor(deps, token)).caller.streams
        .update({ streamId: draft.id, ...(input as object) } as never)
        .catch((e) => e);
      expect(error.code).toBe('BAD_REQUEST');
      const [row] = await deps.db.select().from(streams).where(eq(streams.id, draft.id));
      expect(row).toMatchObject({ title: 'Matrix draft', status: 'draft', categoryId });
    });
  }

  const badBrowse: Array<[string, unknown]> = [
    ['a page of 1000', { limit: 1000 }],
    ['an unknown sort', { sort: 'hot' }],
    ['a forged cursor', { cursor: 'eyJub3QiOiJhIGN1cnNvciJ9' }],
    ['a 10 KB cursor', { cursor: huge }],
  ];
  for (const [label, input] of badBrowse) {
    test(`streams.live with ${label}`, async () => {
      const error = await (await callerFor(deps, null)).caller.streams.live(input as never).catch((e) => e);
      expect(error.code).toBe('BAD_REQUEST');
    });
  }

  const badIngress: Array<[string, unknown]> = [
    ['kind srt', { kind: 'srt', preset: '720p' }],
    ['an unknown preset', { kind: 'rtmp', preset: '8k' }],
    ['passthrough over RTMP', { kind: 'rtmp', preset: 'passthrough' }],
  ];
  for (const [label, input] of badIngress) {
    test(`streams.ingress.create with ${label} calls no LiveKit API`, async () => {
      const { token } = await createTestUser(deps, { role: 'streamer' });
      const draft = await newDraft(token);
      const calls = fake.calls.length;
      const error = await (await callerFor(deps, token)).caller.streams.ingress
        .create({ streamId: draft.id, ...(input as object) } as never)
        .catch((e) => e);
      expect(error.code).toBe('BAD_REQUEST');
      expect(fake.calls.length).toBe(calls);
    });
  }

  test('following yourself or a malformed id stores nothing', async () => {
    const { user, token } = await createTestUser(deps);
    const { caller } = await callerFor(deps, token);
    for (const userId of [user.id, 'not-a-uuid']) {
      await expect(caller.users.follow({ userId })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    const rows = await deps.db.select().from(userFollows).where(eq(userFollows.followerId, user.id));
    expect(rows).toEqual([]);
  });
});

describe('follows', () => {
  test('follow is idempotent, counts, pages newest first, and unfollow undoes it', async () => {
    const star = await createTestUser(deps, { role: 'streamer' });
    const fans = [];
    for (let i = 0; i < 5; i++) {
      const fan = await createTestUser(deps);
      const { caller } = await callerFor(deps, fan.token);
      expect(await caller.users.follow({ userId: star.user.id })).toMatchObject({
        following: true,
        followerCount: i + 1,
      });
      expect((await caller.users.follow({ userId: star.user.id })).followerCount).toBe(i + 1);
      fans.push(fan);
    }
    const { caller } = await callerFor(deps, null);
    const first = await caller.users.followers({ userId: star.user.id, limit: 3 });
    const second = await caller.users.followers({ userId: star.user.id, limit: 3, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((u) => u.id)).toEqual(fans.map((f) => f.user.id).reverse());
    expect(second.nextCursor).toBeNull();
    const following = await caller.users.following({ userId: fans[0]!.user.id });
    expect(following.items.map((u) => u.id)).toEqual([star.user.id]);
    const { caller: fan0 } = await callerFor(deps, fans[0]!.token);
    expect(await fan0.users.unfollow({ userId: star.user.id })).toMatchObject({
      following: false,
      followerCount: 4,
    });
  });
});

describe('streams.current', () => {
  test('the studio gets the stream that is not over and the newest ended one, whatever else the streamer has', async () => {
    const owner = await createTestUser(deps, { role: 'streamer' });
    const { caller } = await callerFor(deps, owner.token);
    expect(await caller.streams.current()).toEqual({ stream: null, previous: null });
    for (let i = 0; i < 6; i++) {
      const old = await caller.streams.create({ title: `Old ${i}`, categoryId });
      await caller.streams.start({ streamId: old.id });
      await caller.streams.stop({ streamId: old.id });
    }
    const open = await caller.streams.create({ title: 'Tonight', categoryId });
    const current = await caller.streams.current();
    expect(current.stream).toMatchObject({ id: open.id, status: 'draft', title: 'Tonight' });
    expect(current.previous).toMatchObject({ status: 'ended', title: 'Old 5' });
  });
});
