import { describe, expect, test } from 'bun:test';
import { axisTicks, barLayout, fillDays, MAX_CHART_DAYS } from './chart.ts';

describe('fillDays', () => {
  const since = new Date('2026-11-17T15:30:00Z');

  test('covers every day of the range, zero where nobody tipped', () => {
    const days = fillDays([{ date: '2026-11-20', tokens: 150, count: 2 }], since, 7);
    expect(days.map((day) => day.date)).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    expect(days.find((day) => day.date === '2026-11-20')).toEqual({
      date: '2026-11-20',
      tokens: 150,
      count: 2,
    });
    expect(days.filter((day) => day.tokens === 0)).toHaveLength(7);
  });

  test('keeps the totals: no day of the data is lost or counted twice', () => {
    const perDay = [
      { date: '2026-11-17', tokens: 10, count: 1 },
      { date: '2026-11-24', tokens: 500, count: 3 },
      { date: '2026-11-10', tokens: 7, count: 1 },
    ];
    const days = fillDays(perDay, since, 7);
    const sum = (list: { tokens: number }[]) => list.reduce((total, day) => total + day.tokens, 0);
    expect(sum(days)).toBe(sum(perDay));
    expect(new Set(days.map((day) => day.date)).size).toBe(days.length);
    expect(days[0]?.date).toBe('2026-11-10');
  });

  test('is bounded whatever range it is asked for', () => {
    expect(fillDays([], since, 100_000)).toHaveLength(MAX_CHART_DAYS);
    expect(fillDays([], since, -3)).toHaveLength(1);
  });
});

describe('axisTicks', () => {
  test('round steps from zero to at least the maximum', () => {
    expect(axisTicks(150)).toEqual([0, 50, 100, 150]);
    expect(axisTicks(100)).toEqual([0, 50, 100]);
    expect(axisTicks(1_000)).toEqual([0, 500, 1_000]);
    expect(axisTicks(1_001)).toEqual([0, 500, 1_000, 1_500]);
    expect(axisTicks(37)).toEqual([0, 10, 20, 30, 40]);
  });

  test('small and empty charts still have a whole-token axis', () => {
    expect(axisTicks(0)).toEqual([0, 1, 2, 3, 4]);
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(-5)).toEqual([0, 1, 2, 3, 4]);
  });

  test('the top tick always reaches the maximum', () => {
    for (const max of [1, 9, 11, 99, 101, 4_999, 123_456, 9_999_999]) {
      const ticks = axisTicks(max);
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(11);
    }
  });
});

describe('barLayout', () => {
  const plot = { width: 100, height: 50, top: 200, gapRatio: 0.2 };

  test('heights are proportional to the values against the axis top', () => {
    const bars = barLayout([200, 100, 0, 50], plot);
    expect(bars.map((bar) => bar.height)).toEqual([50, 25, 0, 12.5]);
    expect(bars.map((bar) => bar.y)).toEqual([0, 25, 50, 37.5]);
  });

  test('bars share the width in equal slots with a gap between them', () => {
    const bars = barLayout([1, 2, 3, 4], plot);
    expect(bars.map((bar) => bar.x)).toEqual([2.5, 27.5, 52.5, 77.5]);
    for (const bar of bars) expect(bar.width).toBe(20);
    const last = bars.at(-1)!;
    expect(last.x + last.width).toBeLessThanOrEqual(plot.width);
  });

  test('never draws outside the plot', () => {
    const bars = barLayout([-10, 500], { ...plot, top: 0 });
    for (const bar of bars) {
      expect(bar.height).toBeGreaterThanOrEqual(0);
      expect(bar.height).toBeLessThanOrEqual(plot.height);
      expect(bar.y).toBeGreaterThanOrEqual(0);
    }
    expect(barLayout([], plot)).toEqual([]);
  });
});
