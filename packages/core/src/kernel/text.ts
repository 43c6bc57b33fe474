import { z } from 'zod';

/**
 * The one rule for text people type (names, chat, notes, titles, reasons, searches). Postgres refuses a NUL in
 * `text` and a browser renders control and direction-override characters in ways that hide or reorder what was
 * written, so each is refused (or, for overrides in running text, removed) here with a sentence naming the field,
 * before anything reaches the database. The checks are a handful of regular expressions, cheap enough for every
 * chat line.
 */

/** Cc: the C0 controls (NUL among them), DEL and the C1 controls; never part of what a person means to write. */
const CONTROL = /\p{Cc}/u;
/** The same, with tab and newline allowed, for text typed in a text area. */
const CONTROL_MULTILINE = /[^\n\t\P{Cc}]/u;
/** Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text around them. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/**
 * Characters that show nothing: format characters (Cf: zero-width space and joiners, word joiner, BOM, tags),
 * the other default-ignorable ones (Hangul fillers, variation selectors) and the blank Braille pattern.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
const INVISIBLES = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** Text that needs none of the checks below (most chat lines): one scan instead of several. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const PRINTABLE_ASCII_MULTILINE = /^[\t\n\x20-\x7e]*$/;
/** Half of a surrogate pair without its other half: not a character, and not storable as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is left of a text once the characters that show nothing are taken out (and the ends trimmed). */
export function visibleText(text: string): string {
  return INVISIBLE.test(text) ? text.replace(INVISIBLES, '').trim() : text;
}

export type PlainTextOptions = {
  /** The field as a person reads it, starting a sentence: "Display name", "The title". */
  label: string;
  /** At most this many UTF-16 code units once normalised and trimmed (the stored length). */
  max: number;
  /** At least this many visible characters (0: may be empty). */
  min?: number;
  /** Typed in a text area: newlines and tabs allowed (a CR LF becomes one newline). */
  multiline?: boolean;
  /**
   * Direction overrides: `strip` removes them from running text (chat, notes, bios: the words stay, nothing is
   * reordered); `refuse` asks the person to remove them, for names, which others must be able to read as written.
   */
  bidi?: 'strip' | 'refuse';
  /** Sentences that replace the generated ones for an empty, too short or too long text. */
  messages?: { empty?: string; tooShort?: string; tooLong?: string };
};

/**
 * A string field that is trimmed and normalised to NFC; refuses control characters (C0 except newline and tab
 * where multiline, DEL, C1), unpaired surrogates and, for names, direction overrides; and measures emptiness
 * and `min` after removing characters that show nothing, so a zero-width-only message is empty (and an optional
 * text that shows nothing is stored as '').
 */
export function plainText(options: PlainTextOptions) {
  const { label, max, min = 0, multiline = false, bidi = 'strip' } = options;
  const empty = options.messages?.empty ?? `${label} cannot be empty.`;
  const tooShort = options.messages?.tooShort ?? `${label} must be at least ${min} characters.`;
  const tooLong = options.messages?.tooLong ?? `${label} must be at most ${max} characters.`;
  const control = multiline ? CONTROL_MULTILINE : CONTROL;
  const printable = multiline ? PRINTABLE_ASCII_MULTILINE : PRINTABLE_ASCII;
  const measured = (text: string, refuse: (message: string) => never) => {
    const visible = visibleText(text);
    if (visible.length === 0) return min > 0 ? refuse(empty) : '';
    if (visible.length < min) return refuse(tooShort);
    if (text.length > max) return refuse(tooLong);
    return text;
  };
  return z.string(`${label} must be text.`).transform((raw, ctx) => {
    const refuse = (message: string): never => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (printable.test(raw)) return measured(raw.trim(), refuse);
    if (LONE_SURROGATE.test(raw))
      return refuse(`${label} contains a broken character; retype it and try again.`);
    let text = raw.normalize('NFC');
    if (multiline) text = text.replace(/\r\n?/g, '\n');
    if (control.test(text)) {
      return refuse(`${label} contains a control character (such as a NUL byte); remove it and try again.`);
    }
    if (BIDI_CONTROL.test(text)) {
      if (bidi === 'refuse') {
        return refuse(
          `${label} cannot contain text-direction override characters; remove them and try again.`,
        );
      }
      text = text.replace(BIDI_CONTROLS, '');
    }
    return measured(text.trim(), refuse);
  });
}
