const ROLE_LABELS = {
  viewer: 'Viewer',
  streamer: 'Streamer',
  moderator: 'Moderator',
  admin: 'Admin',
} as const;

export function roleLabel(role: keyof typeof ROLE_LABELS): string {
  return ROLE_LABELS[role];
}

const dateFormat = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const shortDateFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('en');

/** "March 4, 2026" — dates are formatted in UTC so server and browser render the same text. */
export function formatDate(value: Date | string): string {
  return dateFormat.format(new Date(value));
}

/** "Mar 4, 2026, 3:07 PM UTC", for money history — in UTC for the same reason as formatDate. */
export function formatDateTime(value: Date | string): string {
  return `${dateTimeFormat.format(new Date(value))} UTC`;
}

/** "Mar 4", for chart axes; takes a Date or a YYYY-MM-DD day (read as UTC). */
export function formatShortDate(value: Date | string): string {
  return shortDateFormat.format(
    typeof value === 'string' && value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value),
  );
}

/** "March 2026", for "joined" lines. */
export function formatMonth(value: Date | string): string {
  return monthFormat.format(new Date(value));
}

export function formatCount(value: number, singular: string, plural = `${singular}s`): string {
  return `${numberFormat.format(value)} ${value === 1 ? singular : plural}`;
}

/** Two letters standing for a name in tight spaces: "After Dark" → "AD", "Gaming" → "GA". */
export function monogram(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const [first = '', second = ''] = words;
  const letters = second ? `${first.charAt(0)}${second.charAt(0)}` : first.slice(0, 2);
  return letters.toUpperCase() || '?';
}
