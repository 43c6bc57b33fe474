import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  type TestDeps,
} from '@app/core/testing';
import { channelModerators, moderationLogs } from '@app/db/schema';
import { and, count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/**
 * Who sent an anonymous tip is known to platform admins only: the streamer, the channel's moderators and platform
 * moderators read its line, its moderation log entries and the streamer's tip list without the sender's id or
 * name; an admin reads the sender, and that reading is logged.
 */
let deps: TestDeps;
let tipper: { id: string; username: string };
let streamerId: string;
let tipMessageId: number;
const tokens = {} as Record<'streamer' | 'channelMod' | 'staffMod' | 'admin', string>;

beforeAll(async () => {
  deps = await createTestDeps();
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const channelMod = await createTestUser(deps);
  const fan = await createTestUser(deps);
  streamerId = streamer.user.id;
  tipper = { id: fan.user.id, username: fan.user.username };
  const stream = await createTestStream(deps, streamerId);
  await deps.db.insert(channelModerators).values({ channelId: streamerId, userId: channelMod.user.id });
  await fundWallet(deps, fan.user.id, 100);
  Object.assign(tokens, {
    streamer: streamer.token,
    channelMod: channelMod.token,
    staffMod: (await createTestUser(deps, { role: 'moderator' })).token,
    admin: (await createTestUser(deps, { role: 'admin' })).token,
  });
  const { caller: fanCaller } = await callerFor(deps, fan.token);
  await fanCaller.tips.send({
    streamId: stream.id,
    amountTokens: 25,
    note: 'from a secret admirer',
    anonymous: true,
    idempotencyKey: crypto.randomUUID(),
  });
  const { caller: streamerCaller } = await callerFor(deps, streamer.token);
  const history = await streamerCaller.chat.history({ streamId: stream.id });
  tipMessageId = history.items.find((item) => item.kind === 'tip')!.id;
  // The line is moderated away: the log entry is about the tip line's sender.
  const { caller: modCaller } = await callerFor(deps, channelMod.token);
  await modCaller.moderation.deleteMessage({ messageId: tipMessageId, reason: 'off topic' });
});

afterAll(async () => {
  await deps.database.drop();
});

async function reveals(): Promise<number> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(moderationLogs)
    .where(eq(moderationLogs.action, 'reveal_anonymous_tipper'));
  return row!.n;
}

describe('an anonymous tip in the moderation log', () => {
  for (const who of ['streamer', 'channelMod', 'staffMod'] as const) {
    test(`the ${who} reads the entry as anonymous, with no user id anywhere in the response`, async () => {
      const { caller } = await callerFor(deps, tokens[who]);
      const log = await caller.moderation.log(who === 'staffMod' ? {} : { channelId: streamerId });
      const entry = log.items.find((item) => item.messageId === tipMessageId);
      expect(entry).toMatchObject({
        action: 'delete_message',
        targetAnonymous: true,
        targetUserId: null,
        targetUsername: null,
      });
      const said = JSON.stringify(log);
      expect(said).not.toContain(tipper.id);
      expect(said).not.toContain(tipper.username);
      expect(await reveals()).toBe(0);
    });
  }

  test('the streamer’s tip list does not name the sender either', async () => {
    const { caller } = await callerFor(deps, tokens.streamer);
    const received = await caller.tips.received({});
    expect(received.items[0]).toMatchObject({ anonymous: true, user: null });
    expect(JSON.stringify(received)).not.toContain(tipper.id);
    expect(JSON.stringify(received)).not.toContain(tipper.username);
  });

  test('an admin reads the sender, and that reading is written to the log', async () => {
    const { caller } = await callerFor(deps, tokens.admin);
    const log = await caller.moderation.log({ channelId: streamerId });
    const entry = log.items.find((item) => item.messageId === tipMessageId);
    expect(entry).toMatchObject({
      targetAnonymous: true,
      targetUserId: tipper.id,
      targetUsername: tipper.username,
    });
    const written = await deps.db
      .select()
      .from(moderationLogs)
      .where(and(eq(moderationLogs.action, 'reveal_anonymous_tipper')));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      actorId: expect.any(String),
      targetUserId: null,
      channelId: null,
      metadata: { messageIds: [tipMessageId] },
    });
    // The reading's own entry names nobody, so the platform moderators who read every channel learn nothing.
    const { caller: staff } = await callerFor(deps, tokens.staffMod);
    const everything = JSON.stringify(await staff.moderation.log({}));
    expect(everything).toContain('reveal_anonymous_tipper');
    expect(everything).not.toContain(tipper.id);
  });
});
