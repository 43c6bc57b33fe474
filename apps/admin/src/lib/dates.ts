// Staff in different places compare notes on bans and reports, so every date in the admin app is shown in UTC.
const dayFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** "3 Mar 2026". */
export function formatDay(date: Date): string {
  return dayFormat.format(date);
}

/** "3 Mar 2026, 14:05 UTC". */
export function formatDateTime(date: Date): string {
  return `${dateTimeFormat.format(date)} UTC`;
}
