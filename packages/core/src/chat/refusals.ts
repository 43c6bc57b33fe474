import { sqlError } from '../db-errors.ts';
import { formatDuration } from '../kernel/duration.ts';
import { DomainError, notFound } from '../kernel/errors.ts';

/** The database's refusals (SQLSTATE class LU) as sentences with the reason and the time left. */
export function chatRefusal(error: unknown, now: Date): unknown {
  const failure = sqlError(error);
  switch (failure?.state) {
    case 'LU404':
      return notFound('That stream');
    case 'LU400':
      return new DomainError(
        'CONFLICT',
        failure.detail === 'ended'
          ? 'This stream has ended; its chat is closed.'
          : 'This stream is not live yet; chat opens when it goes live.',
        { reason: 'NOT_LIVE' },
      );
    case 'LU403': {
      if (failure.detail === 'banned') {
        const reason = failure.hint ? ` Reason: ${failure.hint}` : '';
        return new DomainError('FORBIDDEN', `You are banned from this chat.${reason}`, {
          reason: 'BANNED_FROM_CHAT',
        });
      }
      if (failure.detail === 'timeout') {
        const [until = '', ...why] = (failure.hint ?? '').split(' ');
        const left = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
        const reason = why.join(' ').trim();
        return new DomainError(
          'FORBIDDEN',
          `You are timed out in this chat for ${formatDuration(left)} more.${reason ? ` Reason: ${reason}` : ''}`,
          { retryAfterSeconds: left, reason: 'TIMED_OUT' },
        );
      }
      if (failure.detail === 'followers') {
        return new DomainError('FORBIDDEN', 'This chat is for followers only. Follow the streamer to chat.', {
          reason: 'FOLLOWERS_ONLY',
        });
      }
      return new DomainError(
        'FORBIDDEN',
        'This chat is for verified accounts only. Verify your age to chat.',
        {
          reason: 'VERIFIED_ONLY',
        },
      );
    }
    case 'LU429': {
      const left = Math.max(1, Number(failure.detail) || 1);
      return new DomainError(
        'RATE_LIMITED',
        `Slow mode is on: you can send your next message in ${formatDuration(left)}.`,
        { retryAfterSeconds: left, reason: 'SLOW_MODE' },
      );
    }
    case 'LU409':
      return new DomainError('CONFLICT', 'You just sent that. Say something new.', { reason: 'DUPLICATE' });
    default:
      return error;
  }
}
