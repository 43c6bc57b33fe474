import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { banFromChannel, walletBalance } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '@app/core/testing';
import { menuRequests, streamRules, tips } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

type Role = 'anonymous' | 'viewer' | 'other streamer' | 'owner' | 'moderator' | 'admin';
const ROLES: Role[] = ['anonymous', 'viewer', 'other streamer', 'owner', 'moderator', 'admin'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_REQUEST';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

/** A streamer live with a one-item menu, and a fan who tipped the item once (one queued request). */
async function scene() {
  const owner = await createTestUser(deps, { role: 'streamer' });
  const stream = await createTestStream(deps, owner.user.id);
  const ownerCaller = (await callerFor(deps, owner.token)).caller;
  const item = await ownerCaller.menu.upsert({ label: 'Song request', priceTokens: 50 });
  const fan = await createTestUser(deps);
  await fundWallet(deps, fan.user.id, 1_000);
  const fanCaller = (await callerFor(deps, fan.token)).caller;
  const tipped = await fanCaller.menu.tip({ itemId: item.id, idempotencyKey: key() });
  return { owner, ownerCaller, stream, item, fan, fanCaller, request: tipped.request };
}
type Scene = Awaited<ReturnType<typeof scene>>;

async function actAs(role: Role, at: Scene) {
  if (role === 'anonymous') return (await callerFor(deps, null)).caller;
  if (role === 'owner') return at.ownerCaller;
  const { user, token } = await createTestUser(deps, {
    role: role === 'other streamer' ? 'streamer' : role,
  });
  await fundWallet(deps, user.id, 1_000);
  return (await callerFor(deps, token)).caller;
}
type Caller = Awaited<ReturnType<typeof actAs>>;

const outcomes = (o: Partial<Record<Role, Outcome>>, rest: Outcome): Record<Role, Outcome> =>
  Object.fromEntries(ROLES.map((role) => [role, o[role] ?? rest])) as Record<Role, Outcome>;
const OWN_ONLY = outcomes(
  { anonymous: 'UNAUTHORIZED', viewer: 'FORBIDDEN', moderator: 'FORBIDDEN', owner: 'ok' },
  'NOT_FOUND',
);

const MATRIX: Array<[string, (c: Caller, s: Scene) => Promise<unknown>, Record<Role, Outcome>]> = [
  ['menu.list by streamer', (c, s) => c.menu.list({ streamerId: s.owner.user.id }), outcomes({}, 'ok')],
  ['menu.list by stream', (c, s) => c.menu.list({ streamId: s.stream.id }), outcomes({}, 'ok')],
  [
    'menu.upsert (a new item of their own)',
    (c) => c.menu.upsert({ label: 'Dance', priceTokens: 20 }),
    outcomes({ anonymous: 'UNAUTHORIZED', viewer: 'FORBIDDEN', moderator: 'FORBIDDEN' }, 'ok'),
  ],
  [
    'menu.upsert (the owner’s item)',
    (c, s) => c.menu.upsert({ id: s.item.id, label: 'Changed', priceTokens: 5 }),
    OWN_ONLY,
  ],
  ['menu.remove (the owner’s item)', (c, s) => c.menu.remove({ id: s.item.id }), OWN_ONLY],
  [
    'menu.reorder (the owner’s items)',
    (c, s) => c.menu.reorder({ ids: [s.item.id] }),
    { ...OWN_ONLY, 'other streamer': 'BAD_REQUEST', admin: 'BAD_REQUEST' },
  ],
  [
    'menu.tip',
    (c, s) => c.menu.tip({ itemId: s.item.id, idempotencyKey: key() }),
    outcomes({ anonymous: 'UNAUTHORIZED', owner: 'BAD_REQUEST' }, 'ok'),
  ],
  [
    'menu.queue',
    (c, s) => c.menu.queue({ streamId: s.stream.id }),
    outcomes({ anonymous: 'UNAUTHORIZED' }, 'ok'),
  ],
  ['menu.markDone (the owner’s request)', (c, s) => c.menu.markDone({ requestId: s.request.id }), OWN_ONLY],
  ['limits.get', (c) => c.limits.get(), outcomes({ anonymous: 'UNAUTHORIZED' }, 'ok')],
  [
    'limits.set',
    (c) => c.limits.set({ dailyTokens: 100, weeklyTokens: null }),
    outcomes({ anonymous: 'UNAUTHORIZED' }, 'ok'),
  ],
];

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code as Outcome;
    throw error;
  }
}

describe('who may call each menu and limits procedure', () => {
  for (const [name, call, expected] of MATRIX) {
    test(name, async () => {
      const at = await scene();
      const got: Record<string, Outcome> = {};
      for (const role of ROLES) got[role] = await outcomeOf(call(await actAs(role, at), at));
      expect(got).toEqual(expected);
    });
  }
});

async function badRequest(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return error.message;
    throw error;
  }
  throw new Error('expected BAD_REQUEST');
}

describe('bad menu input is refused with a sentence and stores nothing', () => {
  test('negative, zero and too large prices, empty and 10 KB labels, the 51st item', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const { caller } = await callerFor(deps, streamer.token);
    const items = () =>
      deps.db.select({ n: count() }).from(streamRules).where(eq(streamRules.streamerId, streamer.user.id));
    expect(await badRequest(caller.menu.upsert({ label: 'Hug', priceTokens: -5 }))).toBe(
      'A price is at least 1 token.',
    );
    expect(await badRequest(caller.menu.upsert({ label: 'Hug', priceTokens: 0 }))).toBe(
      'A price is at least 1 token.',
    );
    expect(await badRequest(caller.menu.upsert({ label: 'Hug', priceTokens: 2.5 }))).toBe(
      'Prices are whole tokens.',
    );
    expect(
      await badRequest(caller.menu.upsert({ label: 'Hug', priceTokens: deps.economy.maxTipTokens + 1 })),
    ).toContain('at most');
    expect(await badRequest(caller.menu.upsert({ label: 'x'.repeat(10_240), priceTokens: 5 }))).toBe(
      'A menu item can be at most 60 characters.',
    );
    expect(await badRequest(caller.menu.upsert({ label: ' \u200b ', priceTokens: 5 }))).toBe(
      'Name the menu item.',
    );
    expect((await items())[0]?.n).toBe(0);
    for (let i = 0; i < 50; i++) await caller.menu.upsert({ label: `Item ${i + 1}`, priceTokens: i + 1 });
    expect(await badRequest(caller.menu.upsert({ label: 'Item 51', priceTokens: 51 }))).toBe(
      'A tip menu has at most 50 items. Remove one to add another.',
    );
    expect((await items())[0]?.n).toBe(50);
  });

  test('a reorder must list exactly the streamer’s own items', async () => {
    const at = await scene();
    const second = await at.ownerCaller.menu.upsert({ label: 'Shout-out', priceTokens: 10 });
    const other = await createTestUser(deps, { role: 'streamer' });
    const foreign = await (await callerFor(deps, other.token)).caller.menu.upsert({
      label: 'Theirs',
      priceTokens: 3,
    });
    const sentence =
      'The new order must list each of your menu items exactly once. Reload the menu and try again.';
    expect(await badRequest(at.ownerCaller.menu.reorder({ ids: [second.id, foreign.id] }))).toBe(sentence);
    expect(await badRequest(at.ownerCaller.menu.reorder({ ids: [second.id] }))).toBe(sentence);
    expect(await badRequest(at.ownerCaller.menu.reorder({ ids: [second.id, second.id] }))).toBe(sentence);
    expect((await at.ownerCaller.menu.list({ streamerId: at.owner.user.id })).map((i) => i.label)).toEqual([
      'Song request',
      'Shout-out',
    ]);
    await at.ownerCaller.menu.reorder({ ids: [second.id, at.item.id] });
    expect((await at.ownerCaller.menu.list({ streamerId: at.owner.user.id })).map((i) => i.label)).toEqual([
      'Shout-out',
      'Song request',
    ]);
  });
});

describe('tipping a menu item', () => {
  test('moves the price once per key: a replay returns the same tip and one request', async () => {
    const at = await scene();
    const viewer = await createTestUser(deps);
    await fundWallet(deps, viewer.user.id, 500);
    const { caller } = await callerFor(deps, viewer.token);
    const idempotencyKey = key();
    const first = await caller.menu.tip({ itemId: at.item.id, idempotencyKey });
    const again = await caller.menu.tip({ itemId: at.item.id, idempotencyKey });
    expect(again.tip.id).toBe(first.tip.id);
    expect(again.replayed).toBe(true);
    expect(again.request.id).toBe(first.request.id);
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(450);
    const rows = await deps.db.select().from(menuRequests).where(eq(menuRequests.fromUserId, viewer.user.id));
    expect(rows).toHaveLength(1);
    // The same key for another item is a conflict, not a second tip.
    const other = await at.ownerCaller.menu.upsert({ label: 'Other', priceTokens: 50 });
    const conflict = await caller.menu.tip({ itemId: other.id, idempotencyKey }).catch((e: TRPCError) => e);
    expect(conflict).toBeInstanceOf(TRPCError);
    expect((conflict as TRPCError).code).toBe('CONFLICT');
  });

  test('the request keeps the label and price it was tipped at; chat names the item; the room hears it', async () => {
    const at = await scene();
    const viewer = await createTestUser(deps);
    await fundWallet(deps, viewer.user.id, 500);
    const { caller } = await callerFor(deps, viewer.token);
    const heard: Array<Record<string, unknown>> = [];
    deps.bus.subscribe(`stream:${at.stream.id}`, (event) => heard.push(event as Record<string, unknown>));
    const sent = await caller.menu.tip({ itemId: at.item.id, idempotencyKey: key() });
    await at.ownerCaller.menu.upsert({ id: at.item.id, label: 'Two songs', priceTokens: 80 });
    const queue = await at.ownerCaller.menu.queue({ streamId: at.stream.id });
    expect(queue.view).toBe('streamer');
    expect(queue.queued.map((r) => [r.id, r.label, r.priceTokens])).toEqual([
      [at.request.id, 'Song request', 50],
      [sent.request.id, 'Song request', 50],
    ]);
    expect(heard).toContainEqual(
      expect.objectContaining({
        type: 'chat.message',
        kind: 'tip',
        tip: { tipId: sent.tip.id, amountTokens: 50, menuItem: 'Song request' },
      }),
    );
    expect(heard).toContainEqual(
      expect.objectContaining({
        type: 'menu.tipped',
        request: expect.objectContaining({ id: sent.request.id }),
      }),
    );
    const mine = await caller.menu.queue({ streamId: at.stream.id });
    expect(mine).toMatchObject({
      view: 'viewer',
      queued: [{ id: sent.request.id, status: 'queued' }],
      done: [],
    });
  });

  test('an anonymous menu tip shows no name in chat or in the queue', async () => {
    const at = await scene();
    const viewer = await createTestUser(deps);
    await fundWallet(deps, viewer.user.id, 500);
    const heard: Array<Record<string, unknown>> = [];
    deps.bus.subscribe(`stream:${at.stream.id}`, (event) => heard.push(event as Record<string, unknown>));
    const { caller } = await callerFor(deps, viewer.token);
    const sent = await caller.menu.tip({ itemId: at.item.id, idempotencyKey: key(), anonymous: true });
    expect(sent.request.from).toBeNull();
    expect(heard.find((e) => e.type === 'chat.message')).toMatchObject({ sender: null });
  });

  test('passes the room’s gates: a channel-banned viewer and a stream that is not live are refused', async () => {
    const at = await scene();
    const viewer = await createTestUser(deps);
    await fundWallet(deps, viewer.user.id, 500);
    const { caller } = await callerFor(deps, viewer.token);
    await banFromChannel(
      deps,
      { id: at.owner.user.id, role: 'streamer' },
      {
        streamId: at.stream.id,
        userId: viewer.user.id,
        reason: 'spam',
      },
    );
    const banned = await caller.menu
      .tip({ itemId: at.item.id, idempotencyKey: key() })
      .catch((e: TRPCError) => e);
    expect((banned as TRPCError).code).toBe('FORBIDDEN');

    const offline = await createTestUser(deps, { role: 'streamer' });
    await createTestStream(deps, offline.user.id, { status: 'ended' });
    const item = await (await callerFor(deps, offline.token)).caller.menu.upsert({
      label: 'Wave',
      priceTokens: 5,
    });
    expect(await badRequest(caller.menu.tip({ itemId: item.id, idempotencyKey: key() }))).toBe(
      'This streamer is not live; menu tips open when they go live.',
    );
    const [tipped] = await deps.db
      .select({ n: count() })
      .from(tips)
      .where(eq(tips.fromUserId, viewer.user.id));
    expect(tipped?.n).toBe(0);
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(500);
  });
});

describe('a menu tip and the tipper’s spending limit', () => {
  test('is refused with the limit’s sentence and reason, nothing moved, nothing requested', async () => {
    const at = await scene();
    const viewer = await createTestUser(deps);
    await fundWallet(deps, viewer.user.id, 500);
    const { caller } = await callerFor(deps, viewer.token);
    await caller.limits.set({ dailyTokens: 60, weeklyTokens: null });
    await caller.menu.tip({ itemId: at.item.id, idempotencyKey: key() });
    const refused = await caller.menu
      .tip({ itemId: at.item.id, idempotencyKey: key() })
      .catch((e: TRPCError) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('FORBIDDEN');
    expect((refused as TRPCError).message).toStartWith(
      'This tip would take you past your daily limit of 60 tokens (10 left today). It resets at 00:00 UTC, in ',
    );
    expect((await walletBalance(deps, viewer.user.id)).walletTokens).toBe(450);
    const rows = await deps.db.select().from(menuRequests).where(eq(menuRequests.fromUserId, viewer.user.id));
    expect(rows).toHaveLength(1);
    const limits = await caller.limits.get();
    expect(limits.daily).toMatchObject({ limitTokens: 60, spentTokens: 50 });
  });
});

describe('marking a request done', () => {
  test('the owner marks it done once; the room and the viewer hear of it; another streamer cannot', async () => {
    const at = await scene();
    const room: Array<Record<string, unknown>> = [];
    const user: Array<Record<string, unknown>> = [];
    deps.bus.subscribe(`stream:${at.stream.id}`, (event) => room.push(event as Record<string, unknown>));
    deps.bus.subscribe(`user:${at.fan.user.id}`, (event) => user.push(event as Record<string, unknown>));
    const other = await createTestUser(deps, { role: 'streamer' });
    const refused = await (await callerFor(deps, other.token)).caller.menu
      .markDone({ requestId: at.request.id })
      .catch((e: TRPCError) => e);
    expect((refused as TRPCError).code).toBe('NOT_FOUND');
    const done = await at.ownerCaller.menu.markDone({ requestId: at.request.id });
    expect(done.status).toBe('done');
    expect(done.doneAt).not.toBeNull();
    await at.ownerCaller.menu.markDone({ requestId: at.request.id });
    expect(room.filter((e) => e.type === 'menu.done')).toHaveLength(1);
    expect(user).toEqual([
      { type: 'menu.done', requestId: at.request.id, streamId: at.stream.id, label: 'Song request' },
    ]);
    const mine = await at.fanCaller.menu.queue({ streamId: at.stream.id });
    expect(mine).toMatchObject({ view: 'viewer', queued: [], done: [{ id: at.request.id, status: 'done' }] });
    const theirs = await at.ownerCaller.menu.queue({});
    expect(theirs).toMatchObject({ queued: [], done: [{ id: at.request.id }] });
  });
});
