import { resolveConfusablesTransformer } from 'obscenity';

/**
 * A text as the word filters read it, beside a map back to the text as written, so a match found here masks the
 * characters the writer typed and nothing else.
 *
 * - invisible characters (zero-width spaces and joiners, soft hyphens, bidi controls, fillers) are dropped;
 * - look-alikes become the letters they imitate: obscenity's confusables table ("🅰" → "a"), then compatibility
 *   decomposition without accents ("𝐛" → "b", "é" → "e", fullwidth → ASCII);
 * - case is folded;
 * - letters spelled out one at a time ("b a d", "b.a.d", "b - a - d") are joined into one word;
 * - runs of spaces read as one space.
 *
 * `plain` stops there; `folded` also reads leetspeak (0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s) and reads "l" as
 * "i", since "1" stands for either. Both have one character per entry of `start`/`end`: the written span
 * (UTF-16 offsets, end exclusive) that produced it.
 */
export type Normalised = { plain: string; folded: string; start: number[]; end: number[] };

const confusable = resolveConfusablesTransformer().transform;

/**
 * Code points that show nothing, or only steer direction, and so can hide a word's letters apart: format
 * characters (zero-width space and joiners, soft hyphen, bidi controls, BOM) and the other default-ignorable ones
 * (fillers, variation selectors), as `kernel/text.ts` counts them.
 */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]$/u;
export const isInvisible = (cp: number): boolean => cp >= 0x80 && INVISIBLE.test(String.fromCodePoint(cp));

/** Leetspeak by character code, and "l" read as "i": `folded`'s reading of a character of `plain`. */
const LEET = new Map<number, number>(
  [
    ['0', 'o'],
    ['1', 'i'],
    ['3', 'e'],
    ['4', 'a'],
    ['5', 's'],
    ['7', 't'],
    ['@', 'a'],
    ['$', 's'],
    ['l', 'i'],
  ].map(([from, to]) => [from!.charCodeAt(0), to!.charCodeAt(0)]),
);

const COMBINING_MARK = /\p{M}/gu;
const LETTER = /\p{L}/u;
const SPACE = 0x20;
const isAsciiLetter = (code: number) => code >= 0x61 && code <= 0x7a;
/** Letters, and the characters leetspeak writes letters with (so "b 4 d" is spelled out too). */
const isLetter = (code: number) =>
  isAsciiLetter(code) || LEET.has(code) || (code > 0x7f && LETTER.test(String.fromCharCode(code)));
const isSpace = (code: number) => code === SPACE || code === 0x09 || code === 0x0a || code === 0x0d;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isSeparator = (code: number) => !isLetter(code) && !isDigit(code);
/** At most this many separator characters between letters spelled out one at a time. */
const SPELLED_GAP_MAX = 3;

/** What one written non-ASCII code point reads as: nothing, one character, or a few (a ligature). */
function readCodePoint(cp: number): string {
  if (isInvisible(cp)) return '';
  const resolved = confusable(cp);
  if (resolved === undefined) return '';
  const ch = String.fromCodePoint(resolved);
  return resolved < 0x80 ? ch.toLowerCase() : ch.normalize('NFKD').replace(COMBINING_MARK, '').toLowerCase();
}

export function normalise(text: string): Normalised {
  // Character codes (UTF-16 units, as the matcher counts offsets) and the written span of each.
  const codes: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      codes.push(unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit);
      start.push(i);
      end.push(i + 1);
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const read = readCodePoint(cp);
    for (let k = 0; k < read.length; k++) {
      codes.push(read.charCodeAt(k));
      start.push(i);
      end.push(i + width);
    }
    i += width;
  }
  const keep = joinSpelledLetters(codes);
  const plain: number[] = [];
  const folded: number[] = [];
  const keptStart: number[] = [];
  const keptEnd: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    if (keep !== null && !keep[i]) continue;
    const code = isSpace(codes[i]!) ? SPACE : codes[i]!;
    if (code === SPACE && plain[plain.length - 1] === SPACE) continue;
    plain.push(code);
    folded.push(LEET.get(code) ?? code);
    keptStart.push(start[i]!);
    keptEnd.push(end[i]!);
  }
  return { plain: fromCodes(plain), folded: fromCodes(folded), start: keptStart, end: keptEnd };
}

/** Strings from codes, a slice at a time (a spread of a long array would overflow the call stack). */
function fromCodes(codes: number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

/**
 * Marks to drop the separators inside a run of single letters ("b a d" → "bad"): two or more letters that each
 * stand alone, apart by at most `SPELLED_GAP_MAX` spaces or punctuation marks. Null when nothing is dropped.
 */
function joinSpelledLetters(codes: number[]): boolean[] | null {
  let keep: boolean[] | null = null;
  const letterAt = (i: number) => i >= 0 && i < codes.length && isLetter(codes[i]!);
  const single = (i: number) => letterAt(i) && !letterAt(i - 1) && !letterAt(i + 1);
  let i = 0;
  while (i < codes.length) {
    if (!single(i)) {
      i++;
      continue;
    }
    let last = i;
    let j = i + 1;
    while (j < codes.length) {
      let k = j;
      while (k < codes.length && k - j < SPELLED_GAP_MAX && isSeparator(codes[k]!)) k++;
      if (k === j || !single(k)) break;
      keep ??= codes.map(() => true);
      for (let gap = j; gap < k; gap++) keep[gap] = false;
      last = k;
      j = k + 1;
    }
    i = last + 1;
  }
  return keep;
}

/** A filtered word as the matcher compares it: the same reading as a message's, spaces kept between words. */
export function normaliseWord(word: string): string {
  return normalise(word.trim()).folded.trim();
}
