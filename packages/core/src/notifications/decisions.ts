import { users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { notify } from './notify.ts';
import type { NotificationView } from './views.ts';

/** Where a streamer follows their withdrawals. */
const EARNINGS_LINK = '/studio/earnings';

export type PayoutDecision = {
  id: string;
  userId: string;
  status: 'approved' | 'rejected' | 'held' | 'paid';
  amountTokens: number;
  /** The admin's note, which the streamer sees with the withdrawal anyway. */
  note?: string | null;
};

const tokens = (amount: number) => `${amount.toLocaleString('en-US')} tokens`;

const PAYOUT_TEXT: Record<PayoutDecision['status'], (d: PayoutDecision) => { title: string; body: string }> =
  {
    approved: (d) => ({
      title: 'Your withdrawal was approved',
      body: `${tokens(d.amountTokens)} will be paid out soon.`,
    }),
    rejected: (d) => ({
      title: 'Your withdrawal was rejected',
      body: `The ${tokens(d.amountTokens)} are back in your earnings.${d.note ? ` Note: ${d.note}` : ''}`,
    }),
    held: (d) => ({
      title: 'Your withdrawal is held for review',
      body: `An admin will look at the ${tokens(d.amountTokens)} before they are paid out.`,
    }),
    paid: (d) => ({ title: 'Your withdrawal was paid', body: `${tokens(d.amountTokens)} were paid out.` }),
  };

/** After commit: tells a streamer what was decided about their withdrawal. */
export function notifyPayoutDecision(
  deps: CoreDeps,
  decision: PayoutDecision,
): Promise<NotificationView | null> {
  return notify(deps, decision.userId, 'payout', {
    ...PAYOUT_TEXT[decision.status](decision),
    link: EARNINGS_LINK,
    withdrawalId: decision.id,
    status: decision.status,
    amountTokens: decision.amountTokens,
  });
}

export type ModerationNotice = {
  userId: string;
  action: 'timeout' | 'ban';
  channelId: string;
  streamId: string;
  until: Date | null;
  reason: string;
};

/** After commit: tells a user they were timed out or banned in a channel, by whom (the channel) and why. */
export async function notifyModerationAction(
  deps: CoreDeps,
  notice: ModerationNotice,
): Promise<NotificationView | null> {
  const [channel] = await deps.db
    .select({ displayName: users.displayName, username: users.username })
    .from(users)
    .where(eq(users.id, notice.channelId));
  const where = `${channel?.displayName ?? 'a'}’s chat`;
  const title =
    notice.action === 'timeout' ? `You were timed out in ${where}` : `You were banned from ${where}`;
  return notify(deps, notice.userId, 'moderation', {
    title,
    // The browser shows `until` in the reader's own time.
    body: notice.reason ? `Reason: ${notice.reason}` : 'No reason was given.',
    link: channel ? `/u/${channel.username}` : '/',
    action: notice.action,
    channelId: notice.channelId,
    streamId: notice.streamId,
    until: notice.until?.toISOString() ?? null,
    reason: notice.reason,
  });
}
