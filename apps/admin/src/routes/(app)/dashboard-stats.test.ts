import { describe, expect, test } from 'bun:test';
import { type DashboardCounts, dashboardSections, formatCount } from './dashboard-stats.ts';

const counts: DashboardCounts = {
  users: {
    total: 200,
    viewers: 150,
    streamers: 40,
    moderators: 8,
    admins: 2,
    banned: 1,
    ageVerified: 120,
    newToday: 3,
  },
  streams: { total: 40, live: 5 },
  categories: 12,
  regions: { continents: 6, countries: 30, cities: 90 },
  tokens: { packages: 4, circulating: 1_234_567 },
  moderation: { actionsToday: 0 },
};

const EXPECTED_KEYS = [
  'users-total',
  'users-viewers',
  'users-streamers',
  'users-moderators',
  'users-admins',
  'users-banned',
  'users-age-verified',
  'users-new-today',
  'streams-total',
  'streams-live',
  'categories',
  'regions-continents',
  'regions-countries',
  'regions-cities',
  'tokens-packages',
  'tokens-circulating',
  'moderation-actions-today',
];

describe('dashboardSections', () => {
  test('shows every count of admin.dashboard exactly once, under a stable key', () => {
    const stats = dashboardSections(counts).flatMap((section) => section.stats);
    expect(stats.map((stat) => stat.key)).toEqual(EXPECTED_KEYS);
    const byKey = new Map(stats.map((stat) => [stat.key, stat.value]));
    expect(byKey.get('users-age-verified')).toBe(120);
    expect(byKey.get('tokens-circulating')).toBe(1_234_567);
    expect(byKey.get('regions-cities')).toBe(90);
  });

  test('marks only all-zero sections as empty', () => {
    const empty = dashboardSections({
      ...counts,
      regions: { continents: 0, countries: 0, cities: 0 },
    }).filter((section) => section.empty);
    expect(empty.map((section) => section.id)).toEqual(['regions']);
  });

  test('hints never divide by zero', () => {
    const none = dashboardSections({
      ...counts,
      users: { ...counts.users, total: 0, banned: 0, ageVerified: 0 },
      streams: { total: 0, live: 0 },
    }).flatMap((section) => section.stats);
    for (const stat of none) expect(stat.hint ?? '').not.toMatch(/NaN|Infinity/);
    const banned = dashboardSections(counts)
      .flatMap((section) => section.stats)
      .find((stat) => stat.key === 'users-banned');
    expect(banned?.hint).toBe('<1% of users');
  });
});

test('formatCount groups thousands', () => {
  expect(formatCount(1_234_567)).toBe('1,234,567');
});
