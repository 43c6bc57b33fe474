import type { RouterInputs } from '@app/api';
import { type ActionFilter, actionsOf, LOG_PAGE_SIZE, parseActionFilter } from './moderation-log.ts';

/** The log's filters as the address bar holds them (`?action=&actor=&target=&from=&to=`, dates as YYYY-MM-DD). */
export type LogFilters = { action: ActionFilter; actor: string; target: string; from: string; to: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^@?[a-z0-9_]{1,40}$/i;

/** The filters from the address bar; anything malformed is left out rather than sent. */
export function parseLogFilters(params: Pick<URLSearchParams, 'get'>): LogFilters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : '';
  };
  const name = (key: string) => {
    const value = (params.get(key) ?? '').trim();
    return NAME.test(value) ? value.replace(/^@/, '').toLowerCase() : '';
  };
  return {
    action: parseActionFilter(params.get('action')),
    actor: name('actor'),
    target: name('target'),
    from: day('from'),
    to: day('to'),
  };
}

/** The filters as a query string for links (this page, the CSV export), without the empty ones. */
export function filterSearch(filters: LogFilters): string {
  const params = new URLSearchParams();
  if (filters.action !== 'all') params.set('action', filters.action);
  for (const key of ['actor', 'target', 'from', 'to'] as const) {
    if (filters[key]) params.set(key, filters[key]);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Whether any filter narrows the log. */
export const isFiltered = (filters: LogFilters) => filterSearch(filters) !== '';

/**
 * The API's input for a page of the filtered log. Days are UTC; the period runs from the start of `from` to the
 * end of `to` (both days included).
 */
export function logQuery(
  filters: LogFilters,
  cursor: number | null = null,
  limit = LOG_PAGE_SIZE,
): RouterInputs['admin']['moderationLog'] {
  const actions = actionsOf(filters.action);
  const endOf = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 60 * 60 * 1000);
  return {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(actions.length > 0 ? { actions } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.target ? { target: filters.target } : {}),
    ...(filters.from ? { from: new Date(`${filters.from}T00:00:00Z`) } : {}),
    ...(filters.to ? { to: endOf(filters.to) } : {}),
  };
}
