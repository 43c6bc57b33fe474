import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { streamGoals, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { sendChatInput } from '../chat/schemas.ts';
import { sendTip, sendTipInput } from '../economy/tips.ts';
import type { BusEvent } from '../kernel/ports.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  refusal,
  type TestDeps,
} from '../testing.ts';
import { currentGoal } from './goals.ts';
import { tipInRoom } from './tips.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

async function scene(targetTokens: number) {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  await fundWallet(deps, viewer.user.id, 1_000);
  await deps.db.insert(streamGoals).values({ streamId: stream.id, title: 'New guitar', targetTokens });
  const heard: BusEvent[] = [];
  deps.bus.subscribe(`stream:${stream.id}`, (event) => heard.push(event));
  return { viewer, stream, heard };
}

const tip = (streamId: string, amountTokens: number, idempotencyKey = crypto.randomUUID()) =>
  sendTipInput.parse({ streamId, amountTokens, idempotencyKey });

describe('the goal bar follows the tips', () => {
  test('each tip moves the bar; the tip that crosses the target marks it reached', async () => {
    const { viewer, stream, heard } = await scene(100);
    await tipInRoom(deps, viewer.user.id, tip(stream.id, 60));
    expect((await currentGoal(deps, stream.id))!).toMatchObject({ progressTokens: 60, reachedAt: null });
    await tipInRoom(deps, viewer.user.id, tip(stream.id, 50));
    const goal = (await currentGoal(deps, stream.id))!;
    expect(goal.progressTokens).toBe(110);
    expect(goal.reachedAt).not.toBeNull();
    const bars = heard.filter((event) => event.type === 'stream.goal');
    expect(bars.map((event) => (event.goal as { progressTokens: number }).progressTokens)).toEqual([60, 110]);
  });

  test('a retried tip counts once and announces nothing new', async () => {
    const { viewer, stream, heard } = await scene(1_000);
    const input = tip(stream.id, 30);
    await tipInRoom(deps, viewer.user.id, input);
    const again = await tipInRoom(deps, viewer.user.id, input);
    expect(again.replayed).toBe(true);
    expect((await currentGoal(deps, stream.id))!.progressTokens).toBe(30);
    expect(heard.filter((event) => event.type === 'stream.goal')).toHaveLength(1);
    expect(heard.filter((event) => event.type === 'chat.message')).toHaveLength(1);
  });

  test('tips committing at once all count', async () => {
    const { viewer, stream } = await scene(10_000);
    await Promise.all(Array.from({ length: 12 }, () => tipInRoom(deps, viewer.user.id, tip(stream.id, 7))));
    expect((await currentGoal(deps, stream.id))!.progressTokens).toBe(84);
  });

  test('a tip whose room follow-up never ran gets its line and its progress on retry', async () => {
    const { viewer, stream, heard } = await scene(500);
    const input = tip(stream.id, 40);
    // The money alone, as if the process stopped right after the commit.
    await sendTip(deps, viewer.user.id, input);
    expect(heard).toEqual([]);
    await tipInRoom(deps, viewer.user.id, input);
    expect(heard.map((event) => event.type).sort()).toEqual(['chat.message', 'stream.goal']);
    expect((await currentGoal(deps, stream.id))!.progressTokens).toBe(40);
  });
});

describe('chat refusals name the right thing', () => {
  test('a sender whose account is gone is told so, not that the stream is missing', async () => {
    const { stream } = await scene(10);
    const ghost = await createTestUser(deps);
    await deps.db.delete(users).where(eq(users.id, ghost.user.id));
    const refused = await refusal(
      sendChat(
        deps,
        ghost.user.id,
        sendChatInput.parse({ streamId: stream.id, text: 'hello', clientMessageId: crypto.randomUUID() }),
      ),
    );
    expect(refused.code).toBe('UNAUTHENTICATED');
    expect(refused.message).not.toContain('stream');
  });
});
