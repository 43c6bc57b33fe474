import type { Transaction } from '../client.ts';
import { type ChatPost, chatPostMany, sendTip } from '../engine/index.ts';
import { streamGoals } from '../schema/index.ts';
import { LIVE_STREAMS, type LiveStreamSeed } from './data/live-streams.ts';
import { lookup } from './insert-catalog.ts';
import { openAccount, type SeedAccount, seedRequestHash } from './insert-ledger.ts';
import type { LiveStreamIds } from './insert-streams.ts';
import type { UserIds } from './insert-users.ts';

const MINUTE_MS = 60 * 1000;
/** Core's window for a repeated line (`CHAT_LIMITS.duplicateSeconds`); the seed's lines never repeat. */
const DUPLICATE_SECONDS = 30;
/** A goal is set a few minutes into the stream, before any seeded tip. */
const GOAL_SET_MINUTES = 2;

export type RoomCounts = { chatMessages: number; tips: number; goals: number };

type RoomContext = {
  tx: Transaction;
  now: Date;
  userIds: UserIds;
  wallets: ReadonlyMap<string, SeedAccount>;
};

/**
 * What a viewer finds in each live room: recent chat, the tips seeded viewers sent, each followed by its tip line,
 * and the goals those tips count toward (with a queued next goal where the seed has one). Everything goes through the same database functions the platform uses
 * (`chat_post_many`, `send_tip`), so the room's log, the ledger and the tip rows agree as they would live.
 */
export async function insertRooms(
  tx: Transaction,
  now: Date,
  userIds: UserIds,
  live: LiveStreamIds,
  wallets: ReadonlyMap<string, SeedAccount>,
): Promise<RoomCounts> {
  const counts: RoomCounts = { chatMessages: 0, tips: 0, goals: 0 };
  for (const seed of LIVE_STREAMS) {
    const stream = lookup(live, seed.streamer, 'live stream');
    const context = { tx, now, userIds, wallets };
    counts.goals += await insertGoals(tx, stream, seed);
    counts.chatMessages += await insertChat(context, stream.id, seed);
    const tipped = await insertTips(context, stream.id, seed);
    counts.tips += tipped.count;
  }
  return counts;
}

/**
 * The stream's active goal, set a few minutes in, and the next one waiting in its queue when the seed names one.
 * Progress starts at 0: goals are a projection of the tips, and the projector counts the seeded tips on its first
 * pass (as it counts every tip), so nothing is counted twice.
 */
async function insertGoals(
  tx: Transaction,
  stream: { id: string; startedAt: Date },
  seed: LiveStreamSeed,
): Promise<number> {
  const setAt = new Date(stream.startedAt.getTime() + GOAL_SET_MINUTES * MINUTE_MS);
  await tx.insert(streamGoals).values({
    streamId: stream.id,
    title: seed.goal.title,
    targetTokens: seed.goal.targetTokens,
    status: 'active',
    position: 0,
    startedAt: setAt,
    deadlineAt: seed.goal.deadlineMinutes
      ? new Date(setAt.getTime() + seed.goal.deadlineMinutes * MINUTE_MS)
      : null,
    createdAt: setAt,
  });
  if (!seed.nextGoal) return 1;
  await tx.insert(streamGoals).values({
    streamId: stream.id,
    title: seed.nextGoal.title,
    targetTokens: seed.nextGoal.targetTokens,
    status: 'queued',
    position: 1,
    createdAt: setAt,
  });
  return 2;
}

async function insertChat(context: RoomContext, streamId: string, seed: LiveStreamSeed): Promise<number> {
  // Oldest first, one post per call: each line keeps its own time, and the room's ids grow with it.
  const lines = [...seed.chat].sort((a, b) => b.minutesAgo - a.minutesAgo);
  for (const line of lines) {
    const post: ChatPost = {
      streamId,
      senderId: lookup(context.userIds, line.from, 'user').id,
      kind: 'chat',
      text: line.text,
    };
    const at = new Date(context.now.getTime() - line.minutesAgo * MINUTE_MS);
    await postOrThrow(context.tx, post, at);
  }
  return lines.length;
}

/** The tips as `send_tip` takes them (wallet → the streamer's earnings), then each one's line in chat. */
async function insertTips(context: RoomContext, streamId: string, seed: LiveStreamSeed) {
  const streamerId = lookup(context.userIds, seed.streamer, 'user').id;
  const earnings = await openAccount(context.tx, 'earnings', streamerId);
  for (const [index, tip] of seed.tips.entries()) {
    const wallet = lookup(context.wallets, tip.from, 'funded viewer');
    const fromUserId = lookup(context.userIds, tip.from, 'user').id;
    const note = tip.note ?? null;
    const anonymous = tip.anonymous ?? false;
    const sent = await sendTip(context.tx, {
      idempotencyKey: `seed-tip:${seed.streamer}:${index}`,
      requestHash: seedRequestHash({ streamId, amountTokens: tip.amountTokens, note, anonymous }),
      streamId,
      fromUserId,
      walletAccountId: wallet.id,
      earningsAccountId: earnings.id,
      earningsShardCount: earnings.shardCount,
      amountTokens: tip.amountTokens,
      note,
      anonymous,
      now: context.now,
      duplicateSeconds: DUPLICATE_SECONDS,
    });
    await postOrThrow(
      context.tx,
      {
        streamId,
        senderId: fromUserId,
        kind: 'tip',
        text: note ?? '',
        clientMessageId: `tip-${sent.tipId}`,
        metadata: { tip: { tipId: sent.tipId, amountTokens: tip.amountTokens }, anonymous },
      },
      sent.createdAt,
    );
  }
  return { count: seed.tips.length };
}

async function postOrThrow(tx: Transaction, post: ChatPost, at: Date) {
  const [outcome] = await chatPostMany(tx, [post], { now: at, duplicateSeconds: DUPLICATE_SECONDS });
  if (!outcome?.ok) {
    throw new Error(`The seed's chat line "${post.text}" was refused: ${JSON.stringify(outcome)}`);
  }
}
