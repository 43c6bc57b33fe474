import { FILTER_MODES } from '@app/db/schema';
import { z } from 'zod';
import { FILTER_LIMITS } from '../kernel/limits.ts';
import { normaliseWord } from './normalise.ts';

/** Whose list: the platform's (admins), or a stream's room (its streamer, and admins). */
export const filterScope = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('platform') }),
    z.strictObject({ kind: z.literal('room'), streamId: z.uuid('That is not a stream id.') }),
  ],
  { error: 'Say whose word filters: the platform’s, or a room’s (with its stream id).' },
);
export type FilterScope = z.infer<typeof filterScope>;

const mode = z.enum(FILTER_MODES, { error: 'Each word is either blocked or masked.' });

const term = z.strictObject({
  word: z
    .string('A filtered word must be text.')
    .trim()
    .min(1, 'A filtered word cannot be empty.')
    .max(FILTER_LIMITS.wordMax, `A filtered word is at most ${FILTER_LIMITS.wordMax} characters.`),
  mode,
});

export const filtersGetInput = z.strictObject({ scope: filterScope });

/** The whole list, replacing the one stored: each word once, with a letter or digit to match. */
export const filtersUpdateInput = z
  .strictObject({
    scope: filterScope,
    terms: z
      .array(term, 'Send the words as a list.')
      .max(FILTER_LIMITS.termsMax, `A list holds at most ${FILTER_LIMITS.termsMax} words.`),
    /** obscenity's English word list: off (null), or on in this mode. The platform's list only. */
    englishPreset: mode.nullable().default(null),
  })
  .superRefine((input, ctx) => {
    if (input.scope.kind === 'room' && input.englishPreset !== null) {
      ctx.addIssue({
        code: 'custom',
        message: 'The English word list can be switched on platform-wide only.',
      });
    }
    const seen = new Set<string>();
    for (const { word } of input.terms) {
      const key = normaliseWord(word);
      if (!/[\p{L}\p{N}]/u.test(key)) {
        ctx.addIssue({ code: 'custom', message: `“${word}” has no letter or digit to match; remove it.` });
        return;
      }
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', message: `“${word}” is in the list twice; keep it once.` });
        return;
      }
      seen.add(key);
    }
  });
export type FiltersUpdateInput = z.infer<typeof filtersUpdateInput>;
