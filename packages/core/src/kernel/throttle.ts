import { formatDuration } from './duration.ts';
import { DomainError } from './errors.ts';
import type { Limiter } from './ports.ts';

/** Refuses with the time left, in words, when `limiter` says no to `key`. */
export async function checkLimit(limiter: Limiter, key: string, message: (wait: string) => string) {
  const result = await limiter.limit(key);
  if (!result.success) {
    throw new DomainError('RATE_LIMITED', message(formatDuration(result.retryAfterSeconds)), {
      retryAfterSeconds: result.retryAfterSeconds,
      reason: 'RATE_LIMITED',
    });
  }
}
