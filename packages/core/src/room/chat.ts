import { type SentChat, sendChat } from '../chat/post.ts';
import type { SendChatInput } from '../chat/schemas.ts';
import { countChat } from '../gamification/activity.ts';
import type { CoreDeps } from '../kernel/deps.ts';

/**
 * A viewer's chat line in a room: posted by chat, then counted for the sender's activity XP (in memory, written in
 * batches; a retried send that was already stored counts nothing).
 */
export async function sendRoomChat(
  deps: CoreDeps,
  senderId: string,
  input: SendChatInput,
): Promise<SentChat> {
  const sent = await sendChat(deps, senderId, input);
  if (!sent.replayed) countChat(deps, senderId);
  return sent;
}
