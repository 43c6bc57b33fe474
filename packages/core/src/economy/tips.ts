import { ledgerAccounts, streams, type Tip, tips, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreDeps } from '../deps.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { accountFor } from './accounts.ts';
import { TIP_NOTE_MAX } from './config.ts';
import { inTransaction, postTransaction } from './ledger.ts';

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
  note: z
    .string()
    .trim()
    .max(TIP_NOTE_MAX, `A tip note can be at most ${TIP_NOTE_MAX} characters.`)
    .optional()
    .transform((value) => value || undefined),
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

export type SentTip = { tip: Tip; walletBalance: number | null; replayed: boolean };

/**
 * A viewer tips a live stream: one ledger transaction moves the tokens from their wallet to the streamer's
 * earnings, the tip row records it, and everyone watching hears of it after commit. The same idempotency key
 * returns the first tip and moves nothing.
 */
export async function sendTip(deps: CoreDeps, tipperId: string, input: SendTipInput): Promise<SentTip> {
  if (input.amountTokens > deps.economy.maxTipTokens) {
    throw invalid(
      'amountTokens',
      `A single tip can be at most ${deps.economy.maxTipTokens.toLocaleString('en-US')} tokens.`,
    );
  }
  const [stream] = await deps.db
    .select({
      id: streams.id,
      status: streams.status,
      streamerId: streams.streamerId,
      bannedAt: users.bannedAt,
    })
    .from(streams)
    .innerJoin(users, eq(users.id, streams.streamerId))
    .where(eq(streams.id, input.streamId));
  if (!stream) throw notFound('That stream');
  if (stream.streamerId === tipperId) throw invalid('streamId', 'You cannot tip your own stream.');
  if (stream.bannedAt) throw forbidden('This streamer is banned; tips are closed.');
  const { hotAccountShards } = deps.economy;
  const [wallet, earnings] = await Promise.all([
    accountFor(deps.db, 'wallet', tipperId, hotAccountShards),
    accountFor(deps.db, 'earnings', stream.streamerId, hotAccountShards),
  ]);
  const request = {
    streamId: input.streamId,
    amountTokens: input.amountTokens,
    note: input.note ?? null,
    anonymous: input.anonymous,
  };
  const result = await inTransaction(deps.db, async (tx) => {
    const posted = await postTransaction(tx, {
      kind: 'tip',
      idempotencyKey: `tip:${tipperId}:${input.idempotencyKey}`,
      request,
      metadata: { streamId: input.streamId },
      postings: [
        { account: wallet, amount: -input.amountTokens },
        { account: earnings, amount: input.amountTokens },
      ],
      insufficientFunds: (available, needed) =>
        `You have ${available} tokens; this tip needs ${needed}. Buy tokens to continue.`,
    });
    if (posted.replayed) {
      const [tip] = await tx.select().from(tips).where(eq(tips.ledgerTransactionId, posted.transactionId));
      return { tip: tip!, walletBalance: null, replayed: true };
    }
    if (stream.status !== 'live')
      throw invalid('streamId', 'This stream is not live; tips open when it goes live.');
    const [frozen] = await tx
      .select({ frozenAt: ledgerAccounts.frozenAt })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.id, wallet.id));
    if (frozen?.frozenAt)
      throw forbidden('Your wallet is frozen after a payment was reversed. Contact support.');
    const [tip] = await tx
      .insert(tips)
      .values({
        streamId: input.streamId,
        fromUserId: tipperId,
        toUserId: stream.streamerId,
        amountTokens: input.amountTokens,
        note: input.note ?? null,
        anonymous: input.anonymous,
        ledgerTransactionId: posted.transactionId,
      })
      .returning();
    return { tip: tip!, walletBalance: posted.balances.get(wallet.id) ?? null, replayed: false };
  });
  if (!result.replayed) await announceTip(deps, result.tip, result.walletBalance);
  return result;
}

async function announceTip(deps: CoreDeps, tip: Tip, walletBalance: number | null) {
  const [from] = tip.anonymous
    ? [null]
    : await deps.db
        .select({ id: users.id, username: users.username, displayName: users.displayName })
        .from(users)
        .where(eq(users.id, tip.fromUserId));
  const event: TipEvent = {
    type: 'tip',
    tipId: tip.id,
    streamId: tip.streamId,
    amountTokens: tip.amountTokens,
    note: tip.note,
    from: from ?? null,
    createdAt: tip.createdAt.toISOString(),
  };
  await Promise.all([
    deps.bus.publish(`stream:${tip.streamId}`, event),
    deps.bus.publish(`user:${tip.toUserId}`, {
      type: 'earnings.changed',
      tipId: tip.id,
      amountTokens: tip.amountTokens,
    }),
    deps.bus.publish(`user:${tip.fromUserId}`, { type: 'balance.changed', walletBalance }),
  ]);
}
