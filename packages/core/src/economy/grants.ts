import { users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import { STAFF_LIMITS } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';
import { writeLog } from '../moderation/power.ts';
import { accountFor } from './accounts.ts';
import { inTransaction, postTransaction } from './ledger.ts';
import { idempotencyKeySchema } from './tips.ts';

const { grantTokensMax, grantReasonMin, grantReasonMax } = STAFF_LIMITS;

export const grantTokensInput = z.object({
  userId: z.uuid('That is not a user id.'),
  amountTokens: z
    .number('Enter the number of tokens to grant.')
    .int('Grants are whole tokens.')
    .positive('Grant at least 1 token.')
    .max(grantTokensMax, `A single grant can be at most ${grantTokensMax.toLocaleString('en-US')} tokens.`),
  /** Why, for the moderation log: support's case, the demo, a compensation. */
  reason: plainText({
    label: 'The reason',
    min: grantReasonMin,
    max: grantReasonMax,
    multiline: true,
    messages: {
      empty: 'Say why these tokens are granted (it is written to the moderation log).',
      tooShort: `Say why these tokens are granted (at least ${grantReasonMin} characters).`,
      tooLong: `Keep the reason under ${grantReasonMax} characters.`,
    },
  }),
  idempotencyKey: idempotencyKeySchema,
});
export type GrantTokensInput = z.output<typeof grantTokensInput>;

export type GrantResult = {
  transactionId: number;
  userId: string;
  amountTokens: number;
  /** The user's wallet after the grant; null on a replay. */
  walletTokens: number | null;
  /** True when this key granted these tokens before: nothing moved this time. */
  replayed: boolean;
};

/**
 * An admin gives a user tokens: one balanced `grant` from the platform's `promotions` account (which goes negative,
 * as `issuance` does for bought tokens) into the user's wallet, with the moderation log's `grant_tokens` entry in
 * the same transaction, so no token is given without a record of who gave it and why. The same idempotency key
 * grants once. Admins cannot grant to themselves, nor to a banned account.
 */
export async function grantTokens(
  deps: CoreDeps,
  adminId: string,
  input: GrantTokensInput,
): Promise<GrantResult> {
  if (input.userId === adminId) throw forbidden('You cannot grant tokens to yourself; ask another admin.');
  const [target] = await deps.db
    .select({ id: users.id, bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!target) throw notFound('That user');
  if (target.bannedAt) {
    throw new DomainError('CONFLICT', 'That user is banned; lift the ban before granting them tokens.');
  }
  const shards = deps.economy.hotAccountShards;
  const [wallet, promotions] = await Promise.all([
    accountFor(deps.db, 'wallet', input.userId, shards),
    accountFor(deps.db, 'promotions', null, shards),
  ]);
  const result = await inTransaction(deps.db, async (tx) => {
    const posted = await postTransaction(tx, {
      kind: 'grant',
      idempotencyKey: `grant:${adminId}:${input.idempotencyKey}`,
      request: { userId: input.userId, amountTokens: input.amountTokens, reason: input.reason },
      metadata: { grantedById: adminId },
      postings: [
        { account: promotions, amount: -input.amountTokens },
        { account: wallet, amount: input.amountTokens },
      ],
    });
    if (!posted.replayed) {
      await writeLog(
        deps,
        {
          actorId: adminId,
          targetUserId: input.userId,
          action: 'grant_tokens',
          reason: input.reason,
          metadata: { amountTokens: input.amountTokens, ledgerTransactionId: posted.transactionId },
        },
        tx,
      );
    }
    return {
      transactionId: posted.transactionId,
      userId: input.userId,
      amountTokens: input.amountTokens,
      walletTokens: posted.balances.get(wallet.id) ?? null,
      replayed: posted.replayed,
    };
  });
  if (!result.replayed) {
    await publishToUser(deps.bus, input.userId, {
      type: 'balance.changed',
      walletBalance: result.walletTokens,
      reason: 'grant',
    });
  }
  return result;
}
