/** One bar of a per-day chart. */
export interface DayTotal {
  /** YYYY-MM-DD, UTC. */
  date: string;
  tokens: number;
  count: number;
}

const DAY_MS = 86_400_000;
/** A chart never draws more bars than this, whatever range it is given. */
export const MAX_CHART_DAYS = 366;

function utcDay(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/**
 * Every day from `since` to `since + days` (UTC), with the days that had no tips filled in as zero, so the
 * chart's gaps read as quiet days rather than missing ones. Days in `perDay` outside that span are kept.
 */
export function fillDays(perDay: readonly DayTotal[], since: Date, days: number): DayTotal[] {
  const byDate = new Map(perDay.map((day) => [day.date, day]));
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  const span = Math.min(Math.max(0, Math.floor(days)), MAX_CHART_DAYS - 1);
  for (let offset = 0; offset <= span; offset++) {
    const date = utcDay(new Date(start + offset * DAY_MS));
    if (!byDate.has(date)) byDate.set(date, { date, tokens: 0, count: 0 });
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)).slice(-MAX_CHART_DAYS);
}

/** The smallest 1, 2 or 5 × 10ⁿ that is at least `value` (and at least 1: tokens are whole). */
function niceStep(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const multiple of [1, 2, 5, 10]) {
    if (multiple * power >= value) return multiple * power;
  }
  return 10 * power;
}

/**
 * Gridline values for a y axis that starts at zero and reaches at least `max`, on round steps
 * (0, 50, 100, 150 — not 0, 37, 74). An all-zero chart still gets an axis up to `count`.
 */
export function axisTicks(max: number, count = 4): number[] {
  const step = niceStep(Math.max(0, max) / count);
  const top = max > 0 ? Math.ceil(max / step) * step : step * count;
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  return ticks;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where each bar goes in a plot of `width` × `height` whose y axis runs from 0 to `top`: equal slots, a gap of
 * `gapRatio` of each slot between bars, heights proportional to the values (never negative, never above the plot).
 */
export function barLayout(
  values: readonly number[],
  plot: { width: number; height: number; top: number; gapRatio?: number },
): Bar[] {
  if (values.length === 0) return [];
  const slot = plot.width / values.length;
  const gap = slot * Math.min(Math.max(plot.gapRatio ?? 0.2, 0), 0.9);
  const top = plot.top > 0 ? plot.top : 1;
  return values.map((value, index) => {
    const ratio = Math.min(Math.max(value, 0) / top, 1);
    const height = ratio * plot.height;
    return { x: index * slot + gap / 2, y: plot.height - height, width: slot - gap, height };
  });
}
