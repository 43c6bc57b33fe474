/**
 * What a benchmark measured, for `bun run bench` (bench/all.ts) to print in one table. Each benchmark prints its
 * own tables as before and also calls `report` with its headline figures; when BENCH_REPORT names a file, each
 * figure is appended to it as one JSON line.
 */
import { appendFileSync } from 'node:fs';

export type Figure = {
  /** What was measured, e.g. "tips/s through the API, one streamer, 64 clients". */
  measure: string;
  value: number;
  unit: string;
  /** For a ratio: what it is a ratio of, e.g. "API ÷ pgbench append-only (50 conns)". */
  ratioOf?: string;
  /** The target, as written in the issue, e.g. "≥ 0.5×" or "< 50 ms". */
  target?: string;
  /** Whether the target was met; absent when there is no target. */
  met?: boolean;
};

export function report(bench: string, figures: Figure[]): void {
  const file = process.env.BENCH_REPORT;
  if (!file) return;
  for (const figure of figures) appendFileSync(file, `${JSON.stringify({ bench, ...figure })}\n`);
}
