import { messages } from '@app/db/schema';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { WhisperView } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notify } from './notify.ts';
import type { NotificationView } from './views.ts';

/**
 * A recipient who read the thread or wrote in it this recently is in the conversation, not away: their open
 * thread shows the whisper, and a notification would only repeat it.
 */
export const WHISPER_AWAY_SECONDS = 120;
/** The longest excerpt of a whisper a notification shows. */
export const WHISPER_EXCERPT_MAX = 140;

const excerpt = (text: string) =>
  text.length > WHISPER_EXCERPT_MAX ? `${text.slice(0, WHISPER_EXCERPT_MAX - 1)}…` : text;

/**
 * After a whisper committed: tells the recipient if they are away from the conversation. "Away" is read from the
 * thread itself, the same on every node: the whisper before this one was the sender's and the recipient read it
 * more than `WHISPER_AWAY_SECONDS` ago, or it was the recipient's own and older than that, or there was none. An
 * earlier whisper still unread means they were told already: one notification per unread run, not one per line.
 */
export async function notifyWhisperIfAway(
  deps: CoreDeps,
  message: WhisperView,
): Promise<NotificationView | null> {
  const { fromUserId, toUserId } = message;
  const [previous] = await deps.db
    .select({ senderId: messages.senderId, createdAt: messages.createdAt, readAt: messages.readAt })
    .from(messages)
    .where(
      and(
        eq(messages.kind, 'whisper'),
        lt(messages.id, message.id),
        or(
          and(eq(messages.senderId, fromUserId), eq(messages.recipientId, toUserId)),
          and(eq(messages.senderId, toUserId), eq(messages.recipientId, fromUserId)),
        ),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(1);
  if (previous) {
    const lastSeen = previous.senderId === fromUserId ? previous.readAt : previous.createdAt;
    if (!lastSeen) return null;
    const idleMs = deps.clock.now().getTime() - lastSeen.getTime();
    if (idleMs < WHISPER_AWAY_SECONDS * 1000) return null;
  }
  return notify(deps, toUserId, 'whisper', {
    title: `${message.from.displayName} whispered to you`,
    body: excerpt(message.text),
    link: `/messages/${message.from.username}`,
    fromUserId,
    messageId: message.id,
    from: message.from,
  });
}
