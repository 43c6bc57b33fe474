import type { AnyEngineRefusal } from '@app/db/engine';
import { formatDuration } from '../kernel/duration.ts';
import { DomainError, notFound } from '../kernel/errors.ts';

/**
 * The room rule's refusals (packages/db/sql/room/room_admit.sql, behind chat posts, reactions and tip notes) as
 * sentences with the reason and the time left.
 */
export function chatRefusal(refusal: AnyEngineRefusal, now: Date): DomainError {
  switch (refusal.code) {
    case 'STREAM_NOT_FOUND':
    // A platform-banned streamer's streams are hidden: to everyone else they are not there.
    case 'STREAMER_BANNED':
      return notFound('That stream');
    case 'ADULTS_ONLY':
      return new DomainError('FORBIDDEN', 'This stream is for adults. Verify your age (18+) to take part.', {
        reason: 'ADULTS_ONLY',
      });
    case 'USER_NOT_FOUND':
      return new DomainError('UNAUTHENTICATED', 'Your account was not found. Sign in again.');
    case 'NOT_LIVE':
      return new DomainError(
        'CONFLICT',
        refusal.detail.status === 'ended'
          ? 'This stream has ended; its chat is closed.'
          : 'This stream is not live yet; chat opens when it goes live.',
        { reason: 'NOT_LIVE' },
      );
    case 'CHAT_BANNED': {
      const reason = refusal.detail.reason ? ` Reason: ${refusal.detail.reason}` : '';
      return new DomainError('FORBIDDEN', `You are banned from this chat.${reason}`, {
        reason: 'BANNED_FROM_CHAT',
      });
    }
    case 'CHAT_TIMED_OUT': {
      const left = Math.max(1, Math.ceil((Date.parse(refusal.detail.until) - now.getTime()) / 1000));
      const reason = refusal.detail.reason ? ` Reason: ${refusal.detail.reason}` : '';
      return new DomainError(
        'FORBIDDEN',
        `You are timed out in this chat for ${formatDuration(left)} more.${reason}`,
        { retryAfterSeconds: left, reason: 'TIMED_OUT' },
      );
    }
    case 'FOLLOWERS_ONLY':
      return new DomainError('FORBIDDEN', 'This chat is for followers only. Follow the streamer to chat.', {
        reason: 'FOLLOWERS_ONLY',
      });
    case 'VERIFIED_ONLY':
      return new DomainError(
        'FORBIDDEN',
        'This chat is for verified accounts only. Verify your age to chat.',
        {
          reason: 'VERIFIED_ONLY',
        },
      );
    case 'SLOW_MODE': {
      const left = Math.max(1, refusal.detail.secondsLeft);
      return new DomainError(
        'RATE_LIMITED',
        `Slow mode is on: you can send your next message in ${formatDuration(left)}.`,
        { retryAfterSeconds: left, reason: 'SLOW_MODE' },
      );
    }
    case 'DUPLICATE':
      return new DomainError('CONFLICT', 'You just sent that. Say something new.', { reason: 'DUPLICATE' });
    default:
      return new DomainError('CONFLICT', 'That message could not be posted.');
  }
}
