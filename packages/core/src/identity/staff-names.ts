/**
 * Names that pass for Lumen staff ("Admin", "L u m e n Support", "4dm1n", "аdmin" with a Cyrillic а) are kept
 * for staff: a viewer who looks like a moderator in chat can talk people out of their passwords and tokens.
 * A name is folded (compatibility forms, case, accents, look-alike letters, leetspeak, separators) and each of
 * its words, and the whole name run together, is compared with the staff words.
 */

/** Words that alone say "staff". */
const STAFF_WORDS = 'admins?|administrators?|mods?|moderators?|staff|support|lumen|official|system|sysop';
/** Words that only add to a staff word ("the real admin", "lumen support team"). */
const FILLER_WORDS = 'the|real|team|help|desk|bot|trust|safety|service|account';
/** A name made of staff and filler words with at least one staff word, spelt as `fold` spells (no `l`). */
const STAFF_LIKE = new RegExp(
  `^(?:${FILLER_WORDS})*(?:${STAFF_WORDS})(?:${STAFF_WORDS}|${FILLER_WORDS})*$`.replace(/l/g, 'i'),
);

/** Latin look-alikes (Cyrillic, Greek) and leetspeak, each to the letter it passes for. */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  м: 'm',
  т: 't',
  к: 'k',
  в: 'b',
  н: 'h',
  п: 'n',
  г: 'r',
  ո: 'n',
  α: 'a',
  ο: 'o',
  ι: 'i',
  ν: 'v',
  τ: 't',
  κ: 'k',
  ρ: 'p',
  μ: 'm',
  ε: 'e',
  σ: 'o',
  υ: 'u',
  η: 'n',
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '|': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '+': 't',
};

/** Lower case, accents off, look-alikes to the letters they imitate; `l` and `i` are one letter here. */
function fold(word: string): string {
  let folded = '';
  for (const char of word.normalize('NFD').replace(/\p{M}/gu, '')) folded += LOOK_ALIKES[char] ?? char;
  return folded
    .replace(/l/g, 'i')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[^a-z]/g, '');
}

/** True for a display name or username that reads as a staff member's. */
export function imitatesStaff(name: string): boolean {
  const words = name
    .normalize('NFKC')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}@$!|+]+/u)
    .filter(Boolean);
  const candidates = [...words, words.join('')];
  return candidates.some((word) => {
    const withoutTrailingDigits = word.replace(/\d+$/, '');
    return STAFF_LIKE.test(fold(word)) || STAFF_LIKE.test(fold(withoutTrailingDigits));
  });
}
