import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError } from '../kernel/errors.ts';
import { listen } from './listen.ts';
import { userTopic } from './topics.ts';
import { toUserEvent, type UserEvent } from './user.ts';

/**
 * `chat.onUser`: whispers, notifications, balance and earnings changes; ends when the session `sessionId` ends.
 * Resolves once the user's topic is heard, so the subscription is announced as started only when nothing sent
 * from then on can be missed (the bell counts what was stored before that moment, and hears the rest).
 */
export async function userFeed(
  deps: CoreDeps,
  userId: string,
  sessionId: string,
  signal?: AbortSignal,
): Promise<AsyncGenerator<UserEvent>> {
  const events = listen(deps.bus, userTopic(userId), signal);
  try {
    await events.ready;
  } catch (error) {
    events.close();
    throw error;
  }
  return (async function* () {
    try {
      for (let raw = await events.next(); raw; raw = await events.next()) {
        if (raw.type === 'session.ended' && (raw.sessionIds as string[]).includes(sessionId)) {
          throw new DomainError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
        }
        const event = toUserEvent(raw);
        if (event) yield event;
      }
    } finally {
      events.close();
    }
  })();
}
