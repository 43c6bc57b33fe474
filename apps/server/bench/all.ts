// bun run bench — every benchmark in one sitting, one after another (each alone on the machine), then one table of
// their headline figures and ratios (what each reports through bench/report.ts). Each benchmark's own output goes
// to bench-results/<name>.log beside the repository's root. ONLY="http tips" runs some; each benchmark's own
// settings (environment variables) apply as usual.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from './report.ts';

const BENCHES = ['transformer', 'http', 'browse', 'tips', 'chat', 'leaderboards'];
const only = (process.env.ONLY ?? '').split(/\s+/).filter(Boolean);
const chosen = only.length > 0 ? BENCHES.filter((name) => only.includes(name)) : BENCHES;
const RESULTS = join(import.meta.dir, '..', '..', '..', 'bench-results');
mkdirSync(RESULTS, { recursive: true });
const reportFile = join(RESULTS, `report-${Date.now()}.jsonl`);

const started = new Date();
const outcomes: { name: string; seconds: number; exit: number }[] = [];
for (const name of chosen) {
  const log = join(RESULTS, `${name}.log`);
  rmSync(log, { force: true });
  console.log(`[${new Date().toISOString().slice(11, 19)}] bench:${name} (output in ${log})…`);
  const t0 = performance.now();
  const child = Bun.spawn(['bun', join(import.meta.dir, `${name}.ts`)], {
    env: { ...process.env, BENCH_REPORT: reportFile },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) appendFileSync(log, chunk);
  };
  await Promise.all([copy(child.stdout), copy(child.stderr)]);
  const exit = await child.exited;
  outcomes.push({ name, seconds: Math.round((performance.now() - t0) / 1000), exit });
  if (exit !== 0) console.log(`  bench:${name} failed (exit ${exit}); see its log.`);
}

const figures: (Figure & { bench: string })[] = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
const format = (value: number) =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(value);
console.log(`\nOne sitting, started ${started.toISOString()}, on ${navigator.hardwareConcurrency} cores.\n`);
console.log('| bench | measure | figure | of | target | met |');
console.log('|---|---|---:|---|---|---|');
for (const figure of figures) {
  const met = figure.met === undefined ? '' : figure.met ? 'yes' : 'NO';
  console.log(
    `| ${figure.bench} | ${figure.measure} | ${format(figure.value)} ${figure.unit} | ${figure.ratioOf ?? ''} | ${figure.target ?? ''} | ${met} |`,
  );
}
console.log(
  `\n${outcomes.map((o) => `${o.name} ${o.seconds} s${o.exit === 0 ? '' : ' (FAILED)'}`).join(', ')}`,
);
if (outcomes.some((o) => o.exit !== 0)) process.exitCode = 1;
