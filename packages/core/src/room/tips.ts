import { postTipLine } from '../chat/post.ts';
import { type SendTipInput, type SentTip, sendTip } from '../economy/tips.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { refreshGoal } from './goals.ts';

/**
 * A tip in a live room: the money first (`economy` commits the ledger transaction and the tip row), then, outside
 * that transaction, what the room sees: the tip's chat line and the goal bar. Both follow from the committed tip
 * and are idempotent, so a retried tip whose first attempt stopped after the money still gets its line, once.
 */
export async function tipInRoom(deps: CoreDeps, tipperId: string, input: SendTipInput): Promise<SentTip> {
  const sent = await sendTip(deps, tipperId, input);
  await Promise.all([
    postTipLine(deps, {
      tipId: sent.tip.id,
      streamId: sent.tip.streamId,
      tipperId,
      amountTokens: sent.tip.amountTokens,
      note: sent.tip.note,
      anonymous: sent.tip.anonymous,
      // The tip is committed; a stream that ended a moment ago just gets no chat line for it.
    }).catch(() => null),
    refreshGoal(deps, sent.tip.streamId),
  ]);
  return sent;
}
