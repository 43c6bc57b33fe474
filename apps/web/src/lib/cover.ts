/**
 * A cover for a stream that has no thumbnail and whose streamer has no avatar: an SVG drawn from the stream
 * alone, so a grid of streams reads as a grid of different streams rather than of category initials. The
 * category sets the colours (its streams look related), the stream's id turns the gradient and places the
 * shapes (no two covers alike), and the title is set in large type. Shown as a `data:` image, which the pages'
 * `img-src` allows; nothing is fetched, and an image's SVG runs no script.
 */

export type CoverStream = {
  id: string;
  title: string;
  category: { slug: string; name: string } | null;
};

const WIDTH = 320;
const HEIGHT = 180;
/** The title is broken into at most this many lines, the last ending in "…" when it does not fit. */
const MAX_LINES = 3;
const LINE_CHARS = 16;

/** FNV-1a: a small, fast, well-spread 32-bit hash; the same text always gives the same number. */
export function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** Text made safe inside an SVG element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The title as up to `MAX_LINES` lines of about `LINE_CHARS` characters, broken between words where it can. */
export function titleLines(title: string): string[] {
  const words = title.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= LINE_CHARS || !line) {
      line = next;
      continue;
    }
    lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  const kept = lines
    .slice(0, MAX_LINES)
    .map((text) => ([...text].length > LINE_CHARS ? ellipsis(text) : text));
  if (lines.length > MAX_LINES) kept[MAX_LINES - 1] = ellipsis(kept[MAX_LINES - 1]!);
  return kept;
}

/** The text cut to fit one line, ending in "…". */
function ellipsis(text: string): string {
  return `${[...text.replace(/…$/, '')].slice(0, LINE_CHARS - 1).join('')}…`;
}

/** The cover's SVG markup; `text: false` leaves out the title and category, for a backdrop behind a picture. */
export function coverSvg(stream: CoverStream, options: { text?: boolean } = {}): string {
  const categoryHue = hash(stream.category?.slug ?? 'uncategorised') % 360;
  const own = hash(stream.id);
  const hueA = (categoryHue + (own % 40) - 20 + 360) % 360;
  const hueB = (hueA + 40 + ((own >>> 8) % 50)) % 360;
  const angle = (own >>> 4) % 360;
  const radians = (angle * Math.PI) / 180;
  const [x1, y1, x2, y2] = [
    0.5 - Math.cos(radians) / 2,
    0.5 - Math.sin(radians) / 2,
    0.5 + Math.cos(radians) / 2,
    0.5 + Math.sin(radians) / 2,
  ].map((v) => v.toFixed(3));
  const circleX = 40 + ((own >>> 12) % 240);
  const circleY = 20 + ((own >>> 20) % 140);
  const circleR = 50 + ((own >>> 16) % 60);
  const lines = options.text === false ? [] : titleLines(stream.title || 'Live now');
  const size = lines.length === 1 ? 34 : lines.length === 2 ? 30 : 26;
  const lineHeight = size * 1.1;
  // Centred a little above the middle: the category sits at the bottom, the card's badges at the top.
  const firstY = HEIGHT / 2 - ((lines.length - 1) * lineHeight) / 2 + size * 0.35;
  const text = lines
    .map(
      (line, i) =>
        `<text x="24" y="${(firstY + i * lineHeight).toFixed(1)}" font-size="${size}">${escapeXml(line)}</text>`,
    )
    .join('');
  const label =
    stream.category && options.text !== false
      ? `<text x="24" y="${HEIGHT - 18}" font-size="13" font-weight="600" fill-opacity="0.8" letter-spacing="1">${escapeXml(stream.category.name.toUpperCase())}</text>`
      : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
    `<defs><linearGradient id="g" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}">`,
    `<stop offset="0" stop-color="hsl(${hueA} 65% 38%)"/><stop offset="1" stop-color="hsl(${hueB} 70% 52%)"/>`,
    '</linearGradient></defs>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#g)"/>`,
    `<circle cx="${circleX}" cy="${circleY}" r="${circleR}" fill="hsl(${(hueB + 40) % 360} 90% 70%)" fill-opacity="0.28"/>`,
    `<g fill="#fff" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-weight="800">${label}${text}</g>`,
    '</svg>',
  ].join('');
}

/** The cover as an `<img src>`. */
export function coverDataUrl(stream: CoverStream, options: { text?: boolean } = {}): string {
  return `data:image/svg+xml,${encodeURIComponent(coverSvg(stream, options))}`;
}
