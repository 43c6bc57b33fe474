import type { RouterOutputs } from '@app/api';

export type DashboardCounts = RouterOutputs['admin']['dashboard'];

/** `depends()` key of the dashboard load, so Refresh re-runs only that query. */
export const DASHBOARD_DEPENDENCY = 'admin:dashboard';

export type StatTone = 'default' | 'live' | 'danger' | 'success';

export interface Stat {
  /** Stable id; the card's test id is `stat-<key>`. */
  key: string;
  label: string;
  value: number;
  hint?: string;
  tone?: StatTone;
}

export interface StatSection {
  id: string;
  title: string;
  stats: Stat[];
  /** Every count in the section is zero: the page says so instead of showing a wall of zeros silently. */
  empty: boolean;
}

const countFormat = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** "12% of users", or nothing when there is nobody to compare with. */
function shareOf(part: number, whole: number, noun: string): string | undefined {
  if (whole <= 0) return undefined;
  const percent = (part / whole) * 100;
  const shown = percent > 0 && percent < 1 ? '<1' : String(Math.round(percent));
  return `${shown}% of ${noun}`;
}

function section(id: string, title: string, stats: Stat[]): StatSection {
  return { id, title, stats, empty: stats.every((stat) => stat.value === 0) };
}

/** The dashboard's cards, grouped the way a moderator scans them: people, streaming, places, money. */
export function dashboardSections(counts: DashboardCounts): StatSection[] {
  const { users, streams, regions, tokens, moderation } = counts;
  return [
    section('users', 'People', [
      { key: 'users-total', label: 'Users', value: users.total },
      { key: 'users-viewers', label: 'Viewers', value: users.viewers },
      { key: 'users-streamers', label: 'Streamers', value: users.streamers },
      { key: 'users-moderators', label: 'Moderators', value: users.moderators },
      { key: 'users-admins', label: 'Admins', value: users.admins },
      {
        key: 'users-banned',
        label: 'Banned',
        value: users.banned,
        hint: shareOf(users.banned, users.total, 'users'),
        tone: users.banned > 0 ? 'danger' : 'default',
      },
      {
        key: 'users-age-verified',
        label: 'Age-verified',
        value: users.ageVerified,
        hint: shareOf(users.ageVerified, users.total, 'users'),
        tone: 'success',
      },
      { key: 'users-new-today', label: 'New today', value: users.newToday },
    ]),
    section('streams', 'Streams and catalogue', [
      { key: 'streams-total', label: 'Streams', value: streams.total },
      {
        key: 'streams-live',
        label: 'Live now',
        value: streams.live,
        hint: streams.total > 0 ? `of ${formatCount(streams.total)} streams` : undefined,
        tone: streams.live > 0 ? 'live' : 'default',
      },
      { key: 'categories', label: 'Categories', value: counts.categories },
    ]),
    section('regions', 'Regions', [
      { key: 'regions-continents', label: 'Continents', value: regions.continents },
      { key: 'regions-countries', label: 'Countries', value: regions.countries },
      { key: 'regions-cities', label: 'Cities', value: regions.cities },
    ]),
    section('economy', 'Tokens and moderation', [
      { key: 'tokens-packages', label: 'Token packages', value: tokens.packages },
      { key: 'tokens-circulating', label: 'Tokens circulating', value: tokens.circulating },
      { key: 'moderation-actions-today', label: 'Moderation actions today', value: moderation.actionsToday },
    ]),
  ];
}
