// bun run bench:filters — what the word filters cost one chat line: `screen` (normalise, then obscenity's matcher
// over each list) on typical lines, for lists of several sizes, the English preset, and no list at all (what a
// room without filters pays). ROUNDS (20,000) per case after 10,000 to warm up; prints µs per line.
import { compileList, normalise, screen } from '@app/core';

const ROUNDS = Number(process.env.ROUNDS ?? 20_000);
const LINES = [
  'hello everyone, how is the stream going tonight?',
  'lol that was amazing 😂😂 do it again!!',
  'Can you play the song from yesterday? The one with the piano intro',
  'gg',
  'ok 👨‍👩‍👧 wow this is a l o n g message with s p a c e d letters and h3ll0 leetspeak in it, just to see',
];
const words = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ word: `${prefix}word${i}`, mode: 'mask' as const }));
const CASES: [string, ReturnType<typeof compileList>[]][] = [
  ['no list', [compileList([], null)]],
  ['platform 10 words', [compileList(words('p', 10), null)]],
  [
    'platform 50 + room 50 (bench:chat FILTER_WORDS=50)',
    [compileList(words('p', 50), null), compileList(words('r', 50), null)],
  ],
  [
    'platform 500 + room 500 (the most allowed)',
    [compileList(words('p', 500), null), compileList(words('r', 500), null)],
  ],
  ['English preset only', [compileList([], 'mask')]],
  ['English preset + 50 + 50', [compileList(words('p', 50), 'mask'), compileList(words('r', 50), null)]],
];

function perLine(run: (line: string) => unknown): number {
  for (let i = 0; i < 10_000; i++) run(LINES[i % LINES.length]!);
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) run(LINES[i % LINES.length]!);
  return ((performance.now() - started) * 1_000) / ROUNDS;
}

console.log(
  `bench:filters at ${new Date().toISOString()}, load ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}`,
);
console.log('| case | µs per line |');
console.log('|---|---|');
console.log(`| normalise alone | ${perLine((line) => normalise(line)).toFixed(2)} |`);
for (const [name, lists] of CASES)
  console.log(`| ${name} | ${perLine((line) => screen(lists, line)).toFixed(2)} |`);
