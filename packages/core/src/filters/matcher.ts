import type { FilterMode, FilterTerm } from '@app/db/schema';
import { englishDataset, englishRecommendedTransformers, parseRawPattern, RegExpMatcher } from 'obscenity';
import { isInvisible, type Normalised, normalise, normaliseWord } from './normalise.ts';

/**
 * One word list compiled for matching: its own words (whole words of the folded reading, so "ass" finds
 * "@$$" and "a s s" but not "class" or "assistant") and, for the platform's list, obscenity's English list when
 * an admin switched it on.
 */
export type CompiledList = {
  /**
   * `candidates`: one regular expression of every word, a quick first look; most lines contain none of them and
   * never reach obscenity's matcher, which runs one expression per word (a 500-word list costs it ~0.2 ms a line).
   */
  words: { matcher: RegExpMatcher; candidates: RegExp; modes: FilterMode[] } | null;
  english: FilterMode | null;
};

export const EMPTY_LIST: CompiledList = { words: null, english: null };

/** A written span a list matched: `start` and `end` are UTF-16 offsets of the text as written (end exclusive). */
export type Hit = { start: number; end: number; mode: FilterMode };

/** What the screened text becomes: refused whole, or kept with its masked words replaced by asterisks. */
export type Screened = { blocked: true } | { blocked: false; text: string; masked: boolean };

const WORD_CHAR = /[a-z0-9]/;

/** Obscenity's pattern syntax gives `[ ] ? | \` meaning; a word is matched as written. */
const escapePattern = (word: string) => word.replace(/[[\]?|\\]/g, '\\$&');

export function compileList(terms: FilterTerm[], englishPreset: FilterMode | null): CompiledList {
  const modes: FilterMode[] = [];
  const blacklistedTerms = [];
  const literals: string[] = [];
  for (const term of terms) {
    const word = normaliseWord(term.word);
    if (word.length === 0) continue;
    // A word boundary only where the word has a word character to bound: "c++" ends in punctuation.
    const start = WORD_CHAR.test(word[0]!) ? '|' : '';
    const end = WORD_CHAR.test(word.at(-1)!) ? '|' : '';
    blacklistedTerms.push({
      id: modes.length,
      pattern: parseRawPattern(`${start}${escapePattern(word)}${end}`),
    });
    literals.push(word.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    modes.push(term.mode);
  }
  if (blacklistedTerms.length === 0) return { words: null, english: englishPreset };
  return {
    words: {
      matcher: new RegExpMatcher({ blacklistedTerms }),
      candidates: new RegExp(literals.join('|')),
      modes,
    },
    english: englishPreset,
  };
}

export const isEmpty = (list: CompiledList) => list.words === null && list.english === null;

let englishMatcher: RegExpMatcher | null = null;
/** Built on first use: most nodes never need it, and it compiles a few hundred patterns. */
function english(): RegExpMatcher {
  englishMatcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return englishMatcher;
}

/** The written spans each list finds in a text already normalised. */
export function findHits(lists: CompiledList[], read: Normalised): Hit[] {
  const hits: Hit[] = [];
  const span = (from: number, to: number, mode: FilterMode) => {
    hits.push({ start: read.start[from]!, end: read.end[to]!, mode });
  };
  for (const list of lists) {
    if (list.words?.candidates.test(read.folded)) {
      for (const match of list.words.matcher.getAllMatches(read.folded)) {
        span(match.startIndex, match.endIndex, list.words.modes[match.termId]!);
      }
    }
    if (list.english) {
      // The English list has its own leetspeak and spelling rules: it reads `plain`, with its transformers.
      for (const match of english().getAllMatches(read.plain)) {
        span(match.startIndex, match.endIndex, list.english);
      }
    }
  }
  return hits;
}

/** Each matched span replaced by one asterisk per character shown; what lies between is kept as written. */
export function mask(text: string, hits: Hit[]): string {
  const spans = hits.map((hit) => [hit.start, hit.end] as const).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    out += text.slice(at, from);
    out += '*'.repeat(shownLength(text.slice(from, end)));
    at = end;
  }
  return out + text.slice(at);
}

/** Characters a reader sees: code points, less the invisible ones. */
function shownLength(written: string): number {
  let count = 0;
  for (const ch of written) if (!isInvisible(ch.codePointAt(0)!)) count++;
  return Math.max(1, count);
}

/** Block wins over mask: one blocked word refuses the text whole. */
export function screen(lists: CompiledList[], text: string): Screened {
  if (lists.every(isEmpty)) return { blocked: false, text, masked: false };
  const hits = findHits(lists, normalise(text));
  if (hits.length === 0) return { blocked: false, text, masked: false };
  if (hits.some((hit) => hit.mode === 'block')) return { blocked: true };
  return { blocked: false, text: mask(text, hits), masked: true };
}
