import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { categories, type NewStream, streams, users } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

let deps: TestDeps;
let cookingId: number;
/** Stream ids by what each stands for. */
const ids: Record<string, string> = {};

/** A stream inserted as browsing finds it; live unless told otherwise. */
async function addStream(name: string, streamerId: string, values: Partial<NewStream>) {
  const status = values.status ?? 'live';
  const [row] = await deps.db
    .insert(streams)
    .values({
      streamerId,
      title: 'Untitled',
      livekitRoom: `stream-${crypto.randomUUID()}`,
      startedAt: status === 'draft' ? null : deps.clock.now(),
      endedAt: status === 'ended' ? deps.clock.now() : null,
      ...values,
      status,
    })
    .returning({ id: streams.id });
  ids[name] = row!.id;
}

const streamer = async () => (await createTestUser(deps, { role: 'streamer' })).user;

beforeAll(async () => {
  deps = await createTestDeps();
  const [cooking] = await deps.db
    .insert(categories)
    .values([
      { slug: 'cooking', name: 'Cooking' },
      { slug: 'music', name: 'Music' },
    ])
    .returning({ id: categories.id });
  cookingId = cooking!.id;
  await addStream('byTitle', (await streamer()).id, {
    title: 'Fresh Pasta from scratch',
    categoryId: cookingId,
    currentViewers: 40,
  });
  await addStream('byTag', (await streamer()).id, {
    title: 'Sunday kitchen',
    tags: ['pasta', 'italian'],
    currentViewers: 10,
  });
  await addStream('nsfw', (await streamer()).id, { title: 'Late night pasta', nsfw: true });
  await addStream('draft', (await streamer()).id, { title: 'Pasta, coming soon', status: 'draft' });
  await addStream('ended', (await streamer()).id, { title: 'Pasta yesterday', status: 'ended' });
  const banned = await createTestUser(deps, { role: 'streamer', banned: true });
  await addStream('banned', banned.user.id, { title: 'Banned pasta' });
  await addStream('percent', (await streamer()).id, { title: '100% durum' });
  await addStream('thousand', (await streamer()).id, { title: '1000 shapes of durum' });
  const { user: pete } = await createTestUser(deps, { username: 'pasta_pete' });
  await deps.db.update(users).set({ displayName: 'Pete Noodle' }).where(eq(users.id, pete.id));
  await createTestUser(deps, { username: 'pastaxpete' });
});
afterAll(() => deps.database.drop());

async function searchAs(kind: 'guest' | 'viewer' | 'adult', query: string) {
  const token =
    kind === 'guest' ? null : (await createTestUser(deps, { ageVerified: kind === 'adult' })).token;
  const { caller } = await callerFor(deps, token);
  return caller.search.all({ query });
}

const streamIds = (results: Awaited<ReturnType<typeof searchAs>>) => results.streams.items.map((s) => s.id);

describe('search.all', () => {
  test('a live pasta stream is found by its title and another by its tag, most watched first', async () => {
    const results = await searchAs('guest', 'pasta');
    expect(streamIds(results)).toEqual([ids.byTitle!, ids.byTag!]);
    expect(results.streams.total).toEqual({ count: 2, capped: false });
    expect(results.streams.items[0]?.category?.name).toBe('Cooking');
  });

  test('drafts, ended streams and the streams of banned streamers are neither listed nor counted', async () => {
    const results = await searchAs('adult', 'pasta');
    expect(streamIds(results)).not.toContain(ids.draft!);
    expect(streamIds(results)).not.toContain(ids.ended!);
    expect(streamIds(results)).not.toContain(ids.banned!);
    expect(results.streams.total.count).toBe(3);
  });

  test('an NSFW stream is found only by an age-verified viewer', async () => {
    expect(streamIds(await searchAs('guest', 'late night'))).toEqual([]);
    expect(streamIds(await searchAs('viewer', 'late night'))).toEqual([]);
    const adult = await searchAs('adult', 'late night');
    expect(streamIds(adult)).toEqual([ids.nsfw!]);
    expect(adult.streams.items[0]?.gate).toBeNull();
  });

  test('a category is found by its name, with its live count', async () => {
    const results = await searchAs('guest', 'cook');
    expect(results.categories.items.map((c) => c.slug)).toEqual(['cooking']);
    expect(results.categories.items[0]?.liveCount).toBe(1);
    expect(results.categories.total.count).toBe(1);
  });

  test('a person is found by username and by display name', async () => {
    expect((await searchAs('guest', 'pasta_pete')).people.items.map((u) => u.username)).toEqual([
      'pasta_pete',
    ]);
    expect((await searchAs('guest', 'noodle')).people.items.map((u) => u.username)).toEqual(['pasta_pete']);
  });

  test('% and _ are matched as typed, not as wildcards', async () => {
    expect(streamIds(await searchAs('guest', '100%'))).toEqual([ids.percent!]);
    expect(streamIds(await searchAs('guest', '1_0'))).toEqual([]);
    expect((await searchAs('guest', 'pasta_')).people.items.map((u) => u.username)).toEqual(['pasta_pete']);
    expect((await searchAs('guest', '%')).streams.items.map((s) => s.title)).toEqual(['100% durum']);
  });

  test('counts stop at the cap and say so; the first page still leads on', async () => {
    await deps.database.query(
      `insert into users (username, email, password_hash, display_name, date_of_birth)
       select 'crowd_' || n, 'crowd' || n || '@example.test', 'not-a-hash', 'Crowd ' || n, '1990-01-01'
       from generate_series(1, 105) as n`,
    );
    const { people } = await searchAs('guest', 'crowd_');
    expect(people.total).toEqual({ count: 100, capped: true });
    expect(people.items).toHaveLength(6);
    expect(people.nextCursor).toBe(people.items.at(-1)?.username ?? 'missing');
  });

  test('a search with nothing to look for, a control character or too many characters is refused with a reason', async () => {
    const { caller } = await callerFor(deps, null);
    for (const query of ['   ', 'pasta\u0000', 'p'.repeat(51)]) {
      const error = await caller.search.all({ query }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      expect((error as TRPCError).message).toMatch(/search/i);
    }
  });
});

describe('search.streams', () => {
  test('pages through the matches with a cursor, each stream once', async () => {
    const { caller } = await callerFor(deps, null);
    const first = await caller.search.streams({ query: 'pasta', limit: 1 });
    expect(first.items.map((s) => s.id)).toEqual([ids.byTitle!]);
    const second = await caller.search.streams({ query: 'pasta', limit: 1, cursor: first.nextCursor });
    expect(second.items.map((s) => s.id)).toEqual([ids.byTag!]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('an ended stream leads on', () => {
  test('to the streamer’s live stream while they are live, and nowhere once they are not', async () => {
    const host = await streamer();
    await addStream('old', host.id, { title: 'Last week', status: 'ended' });
    await addStream('now', host.id, { title: 'Right now' });
    const { caller } = await callerFor(deps, null);
    expect((await caller.streams.byId({ streamId: ids.old! })).liveNowId).toBe(ids.now!);
    expect((await caller.streams.byId({ streamId: ids.now! })).liveNowId).toBeNull();
    await deps.db
      .update(streams)
      .set({ status: 'ended', endedAt: deps.clock.now() })
      .where(eq(streams.id, ids.now!));
    expect((await caller.streams.byId({ streamId: ids.old! })).liveNowId).toBeNull();
  });
});
