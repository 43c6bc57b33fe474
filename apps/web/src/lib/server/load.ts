import { type ApiErrorCode, readApiError } from '@app/api/client';
import { error } from '@sveltejs/kit';

/**
 * Rethrows a failed API call as SvelteKit's error page with a sentence a person understands.
 * `messages` overrides the text per API error code (e.g. `{ NOT_FOUND: 'No one is called @x.' }`).
 */
export function failLoad(cause: unknown, messages: Partial<Record<ApiErrorCode, string>> = {}): never {
  const problem = readApiError(cause);
  error(problem.status, messages[problem.code] ?? problem.message);
}

/** One part of a page that loaded, or the sentence saying why it did not; the rest of the page still renders. */
export type Loaded<T> = { ok: true; value: T } | { ok: false; problem: string; code: ApiErrorCode };

export function settled<T>(result: PromiseSettledResult<T>): Loaded<T> {
  if (result.status === 'fulfilled') return { ok: true, value: result.value };
  const problem = readApiError(result.reason);
  return { ok: false, problem: problem.message, code: problem.code };
}
