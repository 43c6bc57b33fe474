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
