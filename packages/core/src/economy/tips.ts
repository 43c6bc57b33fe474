import { EngineRefusal } from '@app/db/engine';
import { streams, type Tip } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, invalid, notFound } from '../kernel/errors.ts';
import { plainText } from '../kernel/text.ts';
import { accountFor } from './accounts.ts';
import { TIP_NOTE_MAX } from './config.ts';
import { ledgerError, requestHash } from './ledger.ts';
import { spendingLimitError } from './limits.ts';
import { queueTip } from './tip-queue.ts';

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(8, 'The idempotency key must be at least 8 characters (a UUID works).')
  .max(100, 'The idempotency key must be at most 100 characters.')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'The idempotency key can only use letters, digits and _ . : -');

/** The schema's bound; each deployment sets its own lower limit (`economy.maxTipTokens`), checked in `sendTip`. */
export const TIP_TOKENS_CEILING = 10_000_000;

export const sendTipInput = z.object({
  streamId: z.uuid('That is not a stream id.'),
  amountTokens: z
    .number('Enter the number of tokens to tip.')
    .int('Tips are whole tokens.')
    .positive('Tip at least 1 token.')
    .max(TIP_TOKENS_CEILING, 'That tip is larger than any allowed.'),
  /** Shown in chat, so written under chat's rule; a note that shows nothing is no note. */
  note: plainText({
    label: 'The tip note',
    max: TIP_NOTE_MAX,
    multiline: true,
    messages: { tooLong: `A tip note can be at most ${TIP_NOTE_MAX} characters.` },
  })
    .transform((value) => value || undefined)
    .optional(),
  anonymous: z.boolean().default(false),
  idempotencyKey: idempotencyKeySchema,
});
export type SendTipInput = z.output<typeof sendTipInput>;

export type TipEvent = {
  type: 'tip';
  tipId: number;
  streamId: string;
  amountTokens: number;
  note: string | null;
  /** Null for anonymous tips. */
  from: { id: string; username: string; displayName: string } | null;
  createdAt: string;
};

/** What a tip pays for besides the streamer: an item of their tip menu (`room/menu-requests.ts`). */
export type TipFor = { menuItem: { id: string; label: string } };

export type SentTip = {
  tip: Omit<Tip, 'ledgerTransactionId' | 'reversedAt' | 'reversedTokens' | 'reversalTransactionId'>;
  walletBalance: number | null;
  replayed: boolean;
};

/**
 * A viewer tips a live stream: one ledger transaction moves the tokens from their wallet to the streamer's
 * earnings and the tip row records it; after commit the streamer and the tipper hear of it. The same idempotency
 * key returns the first tip and moves nothing. The room's rule (who may tip, and a note passing chat's rules) is
 * checked by the database before any money moves; its refusals other than the tip's own (not found, not live,
 * own stream, banned streamer, frozen wallet, funds, key) are thrown as they are, for the room to word
 * (`room/tips.ts`). What the room sees follows there too. The tip goes to the database together with the other
 * tips this process has waiting (`tip-queue.ts`), each still its own ledger transaction and subtransaction; when
 * too many are waiting it is refused (RATE_LIMITED) and nothing moves.
 */
export async function sendTip(
  deps: CoreDeps,
  tipperId: string,
  input: SendTipInput,
  tipFor?: TipFor,
): Promise<SentTip> {
  if (input.amountTokens > deps.economy.maxTipTokens) {
    throw invalid(
      'amountTokens',
      `A single tip can be at most ${deps.economy.maxTipTokens.toLocaleString('en-US')} tokens.`,
    );
  }
  const streamerId = await streamerOf(deps, input.streamId);
  if (streamerId === tipperId) throw invalid('streamId', 'You cannot tip your own stream.');
  const { hotAccountShards } = deps.economy;
  const [wallet, earnings] = await Promise.all([
    accountFor(deps.db, 'wallet', tipperId, hotAccountShards),
    accountFor(deps.db, 'earnings', streamerId, hotAccountShards),
  ]);
  const request = {
    streamId: input.streamId,
    amountTokens: input.amountTokens,
    note: input.note ?? null,
    anonymous: input.anonymous,
    // Part of the request: a key used for one item and reused for another is a conflict, not a replay.
    ...(tipFor ? { menuItemId: tipFor.menuItem.id } : {}),
  };
  const now = deps.clock.now();
  const row = await queueTip(
    deps.db,
    {
      idempotencyKey: `tip:${tipperId}:${input.idempotencyKey}`,
      requestHash: requestHash(request),
      streamId: input.streamId,
      fromUserId: tipperId,
      walletAccountId: wallet.id,
      earningsAccountId: earnings.id,
      earningsShardCount: earnings.shardCount,
      amountTokens: input.amountTokens,
      note: input.note ?? null,
      anonymous: input.anonymous,
      now,
    },
    deps.economy.tipQueueMax,
  ).catch((error: unknown) => {
    throw tipError(error, input.amountTokens, now);
  });
  const tip: TipEvent = {
    type: 'tip',
    tipId: row.tipId,
    streamId: input.streamId,
    amountTokens: input.amountTokens,
    note: input.note ?? null,
    from:
      input.anonymous || !row.fromUsername
        ? null
        : { id: tipperId, username: row.fromUsername, displayName: row.fromDisplayName ?? row.fromUsername },
    createdAt: new Date(row.createdAt).toISOString(),
  };
  if (!row.replayed) await announceTip(deps, tip, row.toUserId, tipperId, row.walletBalance);
  return {
    tip: {
      id: row.tipId,
      streamId: input.streamId,
      fromUserId: tipperId,
      toUserId: row.toUserId,
      amountTokens: input.amountTokens,
      note: input.note ?? null,
      anonymous: input.anonymous,
      createdAt: new Date(row.createdAt),
    },
    walletBalance: row.walletBalance,
    replayed: row.replayed,
  };
}

/** Streams change owners never, so who streams where is remembered per database. */
const streamers = new WeakMap<object, Map<string, string>>();

async function streamerOf(deps: CoreDeps, streamId: string): Promise<string> {
  let known = streamers.get(deps.db);
  if (!known) {
    known = new Map();
    streamers.set(deps.db, known);
  }
  const cached = known.get(streamId);
  if (cached) return cached;
  const [stream] = await deps.db
    .select({ streamerId: streams.streamerId })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  if (known.size > 100_000) known.clear();
  known.set(streamId, stream.streamerId);
  return stream.streamerId;
}

/** The tip function's refusals (packages/db/sql/tips/send_tip.sql) as sentences. */
function tipError(error: unknown, amountTokens: number, now: Date): unknown {
  if (!(error instanceof EngineRefusal)) return error;
  if (error.is('SPENDING_LIMIT')) return spendingLimitError(error.detail, now);
  switch (error.code) {
    case 'STREAM_NOT_FOUND':
      return notFound('That stream');
    case 'NOT_LIVE':
      return invalid('streamId', 'This stream is not live; tips open when it goes live.');
    case 'OWN_STREAM':
      return invalid('streamId', 'You cannot tip your own stream.');
    case 'WALLET_FROZEN':
      return forbidden('Your wallet is frozen after a payment was reversed. Contact support.');
    case 'STREAMER_BANNED':
      // The streamer's streams are hidden: as for watching, the stream is not there.
      return notFound('That stream');
    default:
      return ledgerError(
        error,
        (available, needed) =>
          `You have ${available.toLocaleString('en-US')} tokens; this tip needs ${needed.toLocaleString('en-US')}. Buy tokens to continue.`,
        amountTokens,
      );
  }
}

/** After commit: the streamer's earnings and the tipper's balance move on their open pages. */
async function announceTip(
  deps: CoreDeps,
  event: TipEvent,
  streamerId: string,
  tipperId: string,
  walletBalance: number | null,
) {
  await Promise.all([
    publishToUser(deps.bus, streamerId, {
      type: 'earnings.changed',
      tipId: event.tipId,
      amountTokens: event.amountTokens,
    }),
    publishToUser(deps.bus, tipperId, { type: 'balance.changed', walletBalance }),
  ]);
}
