import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { tokenPackages, userLevels, userSpendDays } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { sendTip } from '../economy/tips.ts';
import { streamTopic, userTopic } from '../events/topics.ts';
import type { Topic } from '../kernel/ports.ts';
import { ROOM_ECONOMY } from '../room/projections.ts';
import {
  buyTokens,
  chargeFor,
  createTestDeps,
  createTestStream,
  createTestUser,
  deliverStripeEvent,
  fundWallet,
  manualClock,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { myLevels } from './levels-read.ts';
import { projectUntilCaughtUp } from './projector.ts';
import { refreshLevels } from './xp.ts';

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
let clock = manualClock(new Date());
let packageId: number;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({ stripe: fake.stripe, clock: { now: () => clock.now() } });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Stack', tokens: 3_300, priceCents: 29_999 })
    .returning();
  packageId = pack!.id;
});
afterAll(async () => {
  fake.stop();
  await deps.database.drop();
});

const project = () => projectUntilCaughtUp(deps, ROOM_ECONOMY);

function record(topic: Topic) {
  const events: Record<string, unknown>[] = [];
  const stop = deps.bus.subscribe(topic, (event) => {
    if (event.type === 'level.up') events.push(event);
  });
  return { events, stop };
}

async function room() {
  const { user: streamer } = await createTestUser(deps, { role: 'streamer' });
  const stream = await createTestStream(deps, streamer.id, { status: 'live' });
  const { user: fan } = await createTestUser(deps);
  const tip = (amountTokens: number, anonymous = false) =>
    sendTip(deps, fan.id, {
      streamId: stream.id,
      amountTokens,
      anonymous,
      idempotencyKey: crypto.randomUUID(),
    });
  return { streamer, stream, fan, tip };
}

async function levelRow(userId: string) {
  const [row] = await deps.db.select().from(userLevels).where(eq(userLevels.userId, userId));
  return row!;
}

describe('XP from tips and purchases', () => {
  test('a first purchase lifts a user to level 10 and a refund takes it back', async () => {
    const { fan } = await room();
    const intent = await buyTokens(deps, fan.id, packageId);
    await project();
    expect((await myLevels(deps, fan.id)).viewer).toMatchObject({ level: 10, league: 'bronze', xp: 0 });
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intent));
    await project();
    expect((await myLevels(deps, fan.id)).viewer).toMatchObject({ level: 1, league: 'grey' });
  });

  test('1 XP per token tipped; the user and the room hear of the level-up', async () => {
    const { fan, stream, tip, streamer } = await room();
    await fundWallet(deps, fan.id, 5_000);
    const mine = record(userTopic(fan.id));
    const inRoom = record(streamTopic(stream.id));
    await tip(250);
    await project();
    const view = await myLevels(deps, fan.id);
    // 250 XP: level 12 starts at 208 (100 + 107.66), level 13 at 324.
    expect(view.viewer).toMatchObject({ level: 12, xp: 250, xpIntoLevel: 42 });
    expect(mine.events).toEqual([
      { type: 'level.up', track: 'viewer', level: 12, league: 'bronze', xp: 250 },
    ]);
    expect(inRoom.events).toEqual([
      {
        type: 'level.up',
        streamId: stream.id,
        user: { id: fan.id, username: fan.username, displayName: fan.displayName },
        level: 12,
        league: 'bronze',
      },
    ]);
    expect((await myLevels(deps, streamer.id)).streamer).toMatchObject({ level: 3, xp: 250 });
    mine.stop();
    inRoom.stop();
  });

  test('an anonymous tip levels its sender up without naming them in the room', async () => {
    const { fan, stream, tip } = await room();
    await fundWallet(deps, fan.id, 5_000);
    const mine = record(userTopic(fan.id));
    const inRoom = record(streamTopic(stream.id));
    await tip(150, true);
    await project();
    expect(mine.events.map((e) => e.level)).toEqual([11]);
    expect(inRoom.events).toEqual([]);
    mine.stop();
    inRoom.stop();
  });

  test('a refund reverses the tips it funded: their XP goes, the level goes down, nothing is announced', async () => {
    const { fan, tip, streamer } = await room();
    const intent = await buyTokens(deps, fan.id, packageId);
    await tip(1_500);
    await project();
    expect((await levelRow(fan.id)).level).toBe(20);
    const mine = record(userTopic(fan.id));
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intent));
    await project();
    expect(await levelRow(fan.id)).toMatchObject({
      level: 1,
      spendXp: 0,
      standingPurchases: 0,
      spendTier: 0,
    });
    expect((await myLevels(deps, streamer.id)).streamer).toMatchObject({ level: 1, xp: 0 });
    expect(mine.events).toEqual([]);
    mine.stop();
  });

  test('the name colour follows the last 14 days of spend and fades as days roll off', async () => {
    const { fan, tip } = await room();
    await fundWallet(deps, fan.id, 5_000);
    await tip(49);
    await project();
    expect((await levelRow(fan.id)).spendTier).toBe(0);
    await tip(1);
    await project();
    expect((await levelRow(fan.id)).spendTier).toBe(1);
    await tip(950);
    await project();
    expect((await levelRow(fan.id)).spendTier).toBe(3);
    const days = await deps.db.select().from(userSpendDays).where(eq(userSpendDays.userId, fan.id));
    expect(days.map((d) => d.tokens)).toEqual([1_000]);
    clock.advance(13 * 86_400);
    await refreshLevels(deps);
    expect((await levelRow(fan.id)).spendTier).toBe(3);
    clock.advance(86_400);
    await refreshLevels(deps);
    expect((await levelRow(fan.id)).spendTier).toBe(0);
    expect((await levelRow(fan.id)).level).toBe(17);
  });

  test("each chat line carries its sender's level, league and name colour", async () => {
    clock = manualClock(new Date());
    const { fan, stream, tip } = await room();
    const say = () =>
      sendChat(deps, fan.id, {
        streamId: stream.id,
        text: `hi ${crypto.randomUUID()}`,
        clientMessageId: crypto.randomUUID(),
      });
    expect((await say()).message.sender).toMatchObject({ level: 1, league: 'grey', spendTier: 0 });
    await fundWallet(deps, fan.id, 5_000);
    await tip(1_500);
    await project();
    expect((await say()).message.sender).toMatchObject({ level: 20, league: 'silver', spendTier: 3 });
  });

  test('hours live count toward the streamer level', async () => {
    const { streamer } = await room();
    clock.advance(3 * 3_600);
    await refreshLevels(deps);
    const view = await myLevels(deps, streamer.id);
    expect(view.streamer!.xp).toBeGreaterThanOrEqual(300);
    expect(view.streamer!.level).toBeGreaterThanOrEqual(3);
  });
});
