import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError } from '../kernel/errors.ts';
import { type CompiledList, screen } from './matcher.ts';
import { type FilterPlace, listsFor } from './store.ts';

/** How a refusal names the text: "Your message", "The stream title". */
export type ScreenedField = { field: string; what: string };

/** The sentence of a blocked text: it says that a word is not allowed, and names nothing more. */
export const blockedSentence = (what: string) => `${what} contains a word that is not allowed here.`;

/**
 * A text through lists already at hand (a batch of chat lines shares one look-up): unchanged, or with its masked
 * words as asterisks. A text with a blocked word is refused (INVALID_INPUT, reason BLOCKED_WORD).
 */
export function screenWith(lists: CompiledList[], text: string, named: ScreenedField): string {
  if (text.length === 0) return text;
  const result = screen(lists, text);
  if (!result.blocked) return result.text;
  const message = blockedSentence(named.what);
  throw new DomainError('INVALID_INPUT', message, {
    fieldErrors: { [named.field]: message },
    reason: 'BLOCKED_WORD',
  });
}

/** A text as it may be stored where it was written (see `screenWith`); nothing is stored when it is refused. */
export async function screenText(
  deps: CoreDeps,
  place: FilterPlace,
  text: string,
  named: ScreenedField,
): Promise<string> {
  if (text.length === 0) return text;
  return screenWith(await listsFor(deps, place), text, named);
}
