import { expect, test } from 'bun:test';
import { coverDataUrl, coverSvg, escapeXml, titleLines } from './cover.ts';

const pasta = {
  id: '5d2c1c3e-4a7b-4f0e-9a55-0b1f2a3c4d5e',
  title: 'Fresh pasta from scratch',
  category: { slug: 'cooking', name: 'Cooking' },
};

test('the same stream always gets the same cover', () => {
  expect(coverSvg(pasta)).toBe(coverSvg({ ...pasta, category: { ...pasta.category } }));
  expect(coverDataUrl(pasta)).toBe(coverDataUrl(pasta));
});

test('two streams of one category get different covers, even with the same title', () => {
  const other = { ...pasta, id: '9b8a7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };
  expect(coverSvg(other)).not.toBe(coverSvg(pasta));
  // Different gradients, not only a different title.
  const stops = (svg: string) => svg.match(/stop-color="[^"]+"/g);
  expect(stops(coverSvg(other))).not.toEqual(stops(coverSvg(pasta)));
});

test('the title is set in large type, as words, on at most three lines', () => {
  const svg = coverSvg(pasta);
  expect(svg).toContain('>Fresh pasta from</text>');
  expect(svg).toContain('>scratch</text>');
  expect(svg).toContain('>COOKING</text>');
  const long = titleLines('One two three four five six seven eight nine ten eleven twelve thirteen');
  expect(long).toHaveLength(3);
  expect(long[2]?.endsWith('…')).toBe(true);
  expect(titleLines('Supercalifragilisticexpialidocious')).toEqual(['Supercalifragil…']);
});

test('markup in a title or category name is text, not markup', () => {
  const svg = coverSvg({
    ...pasta,
    title: '<script>alert(1)</script> & "quotes"',
    category: { slug: 'x', name: '</text><image href="https://evil.example/x"/>' },
  });
  expect(svg).not.toContain('<script');
  expect(svg.toLowerCase()).not.toContain('<image');
  expect(svg).toContain('>&#60;script&#62;alert(1…</text>');
  expect(svg).toContain('&#38;');
  expect(escapeXml(`a<b>&"'`)).toBe('a&#60;b&#62;&#38;&#34;&#39;');
  // Every tag in the cover is one the generator writes.
  const tags = new Set([...svg.matchAll(/<\/?([a-zA-Z]+)/g)].map((m) => m[1]));
  expect([...tags].sort()).toEqual(['circle', 'defs', 'g', 'linearGradient', 'rect', 'stop', 'svg', 'text']);
});

test('the cover is a data: image, which the pages’ img-src allows', () => {
  expect(coverDataUrl(pasta).startsWith('data:image/svg+xml,')).toBe(true);
  expect(decodeURIComponent(coverDataUrl(pasta).slice('data:image/svg+xml,'.length))).toBe(coverSvg(pasta));
});

test('a backdrop cover keeps the colours and leaves the words out', () => {
  const backdrop = coverSvg(pasta, { text: false });
  expect(backdrop).not.toContain('<text');
  expect(backdrop.match(/stop-color="[^"]+"/g)).toEqual(coverSvg(pasta).match(/stop-color="[^"]+"/g));
});
