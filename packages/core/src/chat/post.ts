import type { CoreDeps } from '../kernel/deps.ts';
import { checkLimit } from '../kernel/throttle.ts';
import { postToRoom, type SentChat } from './post-queue.ts';
import type { SendChatInput } from './schemas.ts';

export type { SentChat } from './post-queue.ts';

/**
 * Posts a chat line: rate limits first, then, in the room's queue, the room's and the platform's word filters (a
 * blocked word refuses the line, a masked one is stored as asterisks), then one database call checks bans, timeouts, chat mode, slow mode and
 * repeats, stores the message and appends its room event. Only then is it announced. A retry with the same
 * `clientMessageId` returns the stored message and announces nothing.
 */
export async function sendChat(deps: CoreDeps, senderId: string, input: SendChatInput): Promise<SentChat> {
  await checkLimit(
    deps.limiters.chatByUser,
    senderId,
    (wait) => `You are sending messages too fast. Wait ${wait} and try again.`,
  );
  // After the user's limit: a user who is held back does not use up the room's allowance.
  await checkLimit(
    deps.limiters.chatByRoom,
    input.streamId,
    (wait) => `This chat is very busy right now. Wait ${wait} and try again.`,
  );
  return postToRoom(deps, {
    streamId: input.streamId,
    senderId,
    kind: 'chat',
    text: input.text,
    clientMessageId: input.clientMessageId,
    metadata: {},
  });
}

/**
 * A tip's line in chat, posted after the tip committed (the ledger is the record; this is the announcement). A
 * retry of the same tip finds the line it stored.
 */
export function postTipLine(
  deps: CoreDeps,
  tip: {
    tipId: number;
    streamId: string;
    tipperId: string;
    amountTokens: number;
    note: string | null;
    anonymous: boolean;
    /** The tip menu item it paid for: the line reads "X tipped 50 for <item>". */
    menuItem?: string;
  },
): Promise<SentChat> {
  return postToRoom(deps, {
    streamId: tip.streamId,
    senderId: tip.tipperId,
    kind: 'tip',
    text: tip.note ?? '',
    clientMessageId: `tip-${tip.tipId}`,
    metadata: {
      tip: {
        tipId: tip.tipId,
        amountTokens: tip.amountTokens,
        ...(tip.menuItem ? { menuItem: tip.menuItem } : {}),
      },
      anonymous: tip.anonymous,
    },
  });
}
