import { error } from '@sveltejs/kit';
import { describeError, statusForCode } from '../errors.ts';

/**
 * Rethrows a failed API call as SvelteKit's error page with a sentence a person understands.
 * `messages` overrides the text per API error code (e.g. `{ NOT_FOUND: 'No one is called @x.' }`).
 */
export function failLoad(cause: unknown, messages: Partial<Record<string, string>> = {}): never {
  const problem = describeError(cause);
  error(statusForCode(problem.code), messages[problem.code] ?? problem.message);
}

/** One part of a page that loaded, or the sentence saying why it did not; the rest of the page still renders. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: string; code: string };

export function settled<T>(result: PromiseSettledResult<T>): Loaded<T> {
  if (result.status === 'fulfilled') return { ok: true, value: result.value };
  const problem = describeError(result.reason);
  return { ok: false, problem: problem.message, code: problem.code };
}
