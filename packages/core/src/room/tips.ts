import { type AnyEngineRefusal, EngineRefusal } from '@app/db/engine';
import { postTipLine } from '../chat/post.ts';
import { chatRefusal } from '../chat/refusals.ts';
import { type SendTipInput, type SentTip, sendTip, type TipFor } from '../economy/tips.ts';
import { blockedSentence, screenText } from '../filters/screen.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError } from '../kernel/errors.ts';
import { checkLimit } from '../kernel/throttle.ts';

/** Refusals of a note that chat's rules refused while a tip without a note would go through. */
const NOTE_ONLY_REFUSALS = new Set([
  'CHAT_TIMED_OUT',
  'FOLLOWERS_ONLY',
  'VERIFIED_ONLY',
  'SLOW_MODE',
  'DUPLICATE',
]);

/**
 * A tip in a live room: the money first (`economy` commits the ledger transaction and the tip row), then, outside
 * that transaction, what the room sees: the tip's chat line. It follows from the committed tip and is idempotent,
 * so a retried tip whose first attempt stopped after the money still gets its line, once. The goal bar follows
 * from the projector (`goals-projection.ts`), which reads committed tips.
 *
 * Who may tip is the room's rule (`room/access.ts`), checked before any money moves. A note is chat: it counts
 * toward the sender's chat rate limit, and a tip whose note chat would refuse right now (a timeout, slow mode,
 * followers-only) is refused whole, with chat's sentence; the same tip without a note goes through. A user
 * banned from the channel cannot tip it at all. The room's and the platform's word filters read the note before any
 * money moves: a blocked word refuses the tip whole, a masked one is stored (and shown) as asterisks. A tip for a menu item (`tipFor`) is the same tip: its line names the
 * item, and the request it pays for is recorded by `room/menu-requests.ts`.
 */
export async function tipInRoom(
  deps: CoreDeps,
  tipperId: string,
  input: SendTipInput,
  tipFor?: TipFor,
): Promise<SentTip> {
  if (input.note) {
    await checkLimit(
      deps.limiters.chatByUser,
      tipperId,
      (wait) => `You are sending messages too fast. Wait ${wait} and try again, or tip without a note.`,
    );
  }
  const note = input.note ? await screenNote(deps, input.streamId, input.note) : input.note;
  const sent = await sendTip(deps, tipperId, { ...input, note }, tipFor).catch((error: unknown) => {
    throw error instanceof EngineRefusal ? roomTipRefusal(deps, error as AnyEngineRefusal) : error;
  });
  await postTipLine(deps, {
    tipId: sent.tip.id,
    streamId: sent.tip.streamId,
    tipperId,
    amountTokens: sent.tip.amountTokens,
    note: sent.tip.note,
    anonymous: sent.tip.anonymous,
    menuItem: tipFor?.menuItem.label,
    // The tip is committed; a stream that ended a moment ago just gets no chat line for it.
  }).catch(() => null);
  return sent;
}

/** A tip note through the room's word filters; a blocked one refuses the tip, saying how to send it anyway. */
function screenNote(deps: CoreDeps, streamId: string, note: string): Promise<string> {
  return screenText(deps, { streamId }, note, { field: 'note', what: 'Your tip note' }).catch(
    (error: unknown) => {
      if (!(error instanceof DomainError) || error.reason !== 'BLOCKED_WORD') throw error;
      const message = `${blockedSentence('Your tip note')} Your tip was not sent; you can send it without a note.`;
      throw new DomainError('INVALID_INPUT', message, {
        fieldErrors: { note: message },
        reason: 'BLOCKED_WORD',
      });
    },
  );
}

/** The room rule's refusal of a tip, in chat's words; for a note's refusal, how to send the tip anyway. */
function roomTipRefusal(deps: CoreDeps, refusal: AnyEngineRefusal): DomainError {
  const said = chatRefusal(refusal, deps.clock.now());
  if (!NOTE_ONLY_REFUSALS.has(refusal.code)) return said;
  return new DomainError(
    said.code,
    `${said.message} Your tip was not sent; you can send it without a note.`,
    {
      retryAfterSeconds: said.retryAfterSeconds,
      reason: said.reason,
    },
  );
}
