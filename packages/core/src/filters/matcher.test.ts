import { describe, expect, test } from 'bun:test';
import type { FilterTerm } from '@app/db/schema';
import { compileList, screen } from './matcher.ts';
import { normalise } from './normalise.ts';

// How a list reads what people write: every disguise the filters undo, and the innocent words they leave alone.

const list = (...terms: FilterTerm[]) => [compileList(terms, null)];
const masked = (word: string) => list({ word, mode: 'mask' });
const shown = (lists: ReturnType<typeof list>, text: string) => {
  const result = screen(lists, text);
  return result.blocked ? 'BLOCKED' : result.text;
};

describe('what a filtered word is found under', () => {
  const badword = masked('badword');

  test('any case', () => {
    expect(shown(badword, 'BadWord!')).toBe('*******!');
    expect(shown(badword, 'a BADWORD here')).toBe('a ******* here');
  });

  test('leetspeak: 0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, @→a, $→s', () => {
    expect(shown(badword, 'b4dw0rd')).toBe('*******');
    expect(shown(badword, 'b@dword')).toBe('*******');
    expect(shown(masked('hello'), 'h3110 there')).toBe('***** there');
    expect(shown(masked('hi'), 'h1')).toBe('**');
    expect(shown(masked('ass'), '@$$ and 455')).toBe('*** and ***');
    expect(shown(masked('test'), '7es7')).toBe('****');
  });

  test('invisible characters: zero-width spaces and joiners, soft hyphens, bidi controls', () => {
    expect(shown(badword, 'bad\u200bword')).toBe('*******');
    expect(shown(badword, 'b\u200dad\u200cword')).toBe('*******');
    expect(shown(badword, 'bad\u00adword')).toBe('*******');
    expect(shown(badword, 'bad\u202eword\u202c ok')).toBe('*******\u202c ok');
    expect(shown(badword, 'bad\ufeffword')).toBe('*******');
  });

  test('letters spelled out one at a time', () => {
    expect(shown(badword, 'b a d w o r d')).toBe('*************');
    expect(shown(badword, 'b.a.d.w.o.r.d!')).toBe('*************!');
    expect(shown(badword, 'say b-a-d-w-o-r-d now')).toBe('say ************* now');
    expect(shown(masked('ass'), 'you a s s')).toBe('you *****');
  });

  test('look-alike letters obscenity resolves, and styled or accented ones', () => {
    expect(shown(badword, 'ⓑⓐⓓⓦⓞⓡⓓ')).toBe('*******');
    expect(shown(badword, '𝐛𝐚𝐝𝐰𝐨𝐫𝐝 x')).toBe('******* x');
    expect(shown(badword, 'bädwörd')).toBe('*******');
    expect(shown(badword, 'ｂａｄｗｏｒｄ')).toBe('*******');
  });

  test('a phrase, however many spaces apart its words are', () => {
    expect(shown(masked('hello world'), 'hello    world!')).toBe('**************!');
    expect(shown(masked('hello world'), 'hello, world')).toBe('hello, world');
  });

  test('a word that starts or ends with punctuation is bounded only on its letters’ side', () => {
    expect(shown(masked('c++'), 'c++ rocks, abc++ not')).toBe('*** rocks, abc++ not');
    expect(shown(masked('#tag'), 'use #tag now')).toBe('use **** now');
  });
});

describe('what is left alone', () => {
  test('a longer innocent word that merely contains the filtered one', () => {
    const ass = masked('ass');
    for (const text of ['a class act', 'my assistant', 'glass', 'passing', 'Cassandra', 'bass guitar']) {
      expect(shown(ass, text)).toBe(text);
    }
    expect(shown(masked('badword'), 'badwords')).toBe('badwords');
  });

  test('the rest of a masked text, emoji and joiners included', () => {
    expect(shown(masked('ass'), 'ok 👨‍👩‍👧 ass, fine')).toBe('ok 👨‍👩‍👧 ***, fine');
  });

  test('a text with no filtered word is returned as it is', () => {
    expect(screen(masked('ass'), 'Hi  there\u200b')).toEqual({
      blocked: false,
      text: 'Hi  there\u200b',
      masked: false,
    });
  });
});

describe('block and mask', () => {
  test('one blocked word refuses the text whole, masked words beside it or not', () => {
    const lists = list({ word: 'spam', mode: 'block' }, { word: 'ass', mode: 'mask' });
    expect(screen(lists, 'buy sp4m now, ass')).toEqual({ blocked: true });
    expect(shown(lists, 'just ass')).toBe('just ***');
  });

  test('the platform’s English list, when switched on, and its own whole-word rules', () => {
    const english = [compileList([], 'mask')];
    expect(shown(english, 'what the fuck')).toBe('what the ****');
    expect(shown(english, 'a classic assistant')).toBe('a classic assistant');
    expect(screen([compileList([], 'block')], 'f u c k')).toEqual({ blocked: true });
  });

  test('the normalised reading maps each character back to what was written', () => {
    const read = normalise('B\u200bAD');
    expect(read.plain).toBe('bad');
    expect(read.start).toEqual([0, 2, 3]);
  });
});
