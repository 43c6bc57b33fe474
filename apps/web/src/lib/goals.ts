import type { RouterOutputs } from '@app/api';
import { formatDuration } from '@app/api/client';

export type GoalList = RouterOutputs['goals']['list'];
export type GoalItem = GoalList['queue'][number];

/** What a goal may be, as the API checks it (`goals.create`); the form says so before asking. */
export const GOAL_TITLE_MAX = 80;
export const GOAL_TARGET_MAX = 10_000_000;
export const GOAL_DEADLINE_DAYS_MAX = 30;

/** "2 h 5 min left", "Ended" once the deadline has passed; null without a deadline. */
export function deadlineLeft(deadlineAt: string | null, now: number): string | null {
  if (!deadlineAt) return null;
  const seconds = (Date.parse(deadlineAt) - now) / 1000;
  return seconds > 0 ? `${formatDuration(seconds)} left` : 'Time is up';
}

/** The value of a `datetime-local` input for a moment, in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value as a moment (read in the browser's time zone); null when empty or unreadable. */
export function fromLocalInput(value: string): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const GOAL_STATUS_LABELS: Record<GoalItem['status'], string> = {
  queued: 'Queued',
  active: 'Active',
  reached: 'Reached',
  expired: 'Expired',
  cancelled: 'Cancelled',
};
