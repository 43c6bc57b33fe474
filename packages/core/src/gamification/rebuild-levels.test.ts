import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { tips, tokenPackages } from '@app/db/schema';
import { isNotNull, sql } from 'drizzle-orm';
import { sendTip } from '../economy/tips.ts';
import { ROOM_ECONOMY } from '../room/projections.ts';
import {
  buyTokens,
  chargeFor,
  createTestDeps,
  createTestStream,
  createTestUser,
  deliverStripeEvent,
  manualClock,
  startStripeFake,
  type TestDeps,
} from '../testing.ts';
import { projectUntilCaughtUp } from './projector.ts';
import { rebuildLevels } from './rebuild-levels.ts';
import { refreshLevels } from './xp.ts';

let deps: TestDeps;
let fake: ReturnType<typeof startStripeFake>;
const clock = manualClock(new Date());
let packageId: number;

beforeAll(async () => {
  fake = startStripeFake();
  deps = await createTestDeps({ stripe: fake.stripe, clock });
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: 'Handful', tokens: 600, priceCents: 5_999 })
    .returning();
  packageId = pack!.id;
});
afterAll(async () => {
  fake.stop();
  await deps.database.drop();
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

async function snapshot() {
  const rows = async (query: ReturnType<typeof sql>) => [
    ...((await deps.db.execute(query)) as unknown as object[]),
  ];
  return {
    users: await rows(sql`select user_id, xp, level, spend_xp, standing_purchases, spend_tier, activity_xp
      from user_levels order by user_id`),
    streamers: await rows(sql`select user_id, earned_xp, live_seconds, xp, level from streamer_levels
      order by user_id`),
    days: await rows(sql`select user_id, day::text, tokens from user_spend_days where tokens <> 0
      order by user_id, day`),
  };
}

describe('rebuilding levels from the ledger', () => {
  test('after random tips, refunds and disputes, the rebuilt levels equal the live ones', async () => {
    const rand = random(12);
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const { user } = await createTestUser(deps, { role: 'streamer' });
      streams.push(await createTestStream(deps, user.id, { status: 'live' }));
    }
    const fans = [];
    for (let i = 0; i < 10; i++) fans.push((await createTestUser(deps)).user);
    const intents: string[] = [];
    for (const fan of fans) {
      const buys = 1 + Math.floor(rand() * 3);
      for (let b = 0; b < buys; b++) intents.push(await buyTokens(deps, fan.id, packageId));
    }
    let sent = 0;
    let refunds = 0;
    for (let i = 0; sent < 220 && i < 800; i++) {
      try {
        await sendTip(deps, pick(fans).id, {
          streamId: pick(streams).id,
          amountTokens: 1 + Math.floor(rand() * 50),
          anonymous: rand() < 0.2,
          idempotencyKey: crypto.randomUUID(),
        });
        sent++;
      } catch {
        // An empty or frozen wallet refuses the tip; the ledger holds none of it.
      }
      if (i % 40 === 0) await projectUntilCaughtUp(deps, ROOM_ECONOMY);
      if (i % 30 === 15 && refunds < 5) {
        refunds++;
        const intent = intents.splice(Math.floor(rand() * intents.length), 1)[0]!;
        const kind = rand() < 0.3 ? 'dispute' : 'charge';
        await deliverStripeEvent(
          deps,
          kind === 'dispute' ? 'charge.dispute.created' : 'charge.refunded',
          chargeFor(intent, kind),
        );
      }
    }
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    clock.advance(2 * 3_600);
    await refreshLevels(deps);
    const live = await snapshot();

    // Something to compare: tips stood and tips were reversed, users above level 10 and back below it.
    expect(sent).toBeGreaterThan(200);
    const reversed = await deps.db.select().from(tips).where(isNotNull(tips.reversalTransactionId));
    expect(reversed.length).toBeGreaterThan(0);
    expect(live.users.some((u) => Number((u as { level: number }).level) >= 12)).toBe(true);

    // Wipe what is derived, then rebuild it.
    await deps.db.execute(sql`update user_levels set spend_xp = 0, standing_purchases = 0, xp = 0, level = 1,
      spend_tier = 0`);
    await deps.db.execute(sql`update streamer_levels set earned_xp = 0, live_seconds = 0, xp = 0, level = 1`);
    await deps.db.execute(sql`delete from user_spend_days`);
    await rebuildLevels(deps);
    expect(await snapshot()).toEqual(live);

    // The projector goes on from the rebuilt state: more tips and a refund, then live and rebuilt agree again.
    for (let i = 0; i < 40; i++) {
      await sendTip(deps, pick(fans).id, {
        streamId: pick(streams).id,
        amountTokens: 1 + Math.floor(rand() * 20),
        anonymous: false,
        idempotencyKey: crypto.randomUUID(),
      }).catch(() => {});
    }
    await deliverStripeEvent(deps, 'charge.refunded', chargeFor(intents[0]!));
    await projectUntilCaughtUp(deps, ROOM_ECONOMY);
    await refreshLevels(deps);
    const later = await snapshot();
    expect(later).not.toEqual(live);
    await rebuildLevels(deps);
    expect(await snapshot()).toEqual(later);
  }, 60_000);
});
