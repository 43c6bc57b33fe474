import type { RouterOutputs } from '@app/api';
import { type ApiProblem, REPORT_REASONS } from '@app/api/client';

export type MyReport = RouterOutputs['reports']['mine']['items'][number];
export type MyReportsResult =
  | { ok: true; items: MyReport[]; nextCursor: number | null }
  | { ok: false; problem: ApiProblem };

/** `depends()` key of the page's load, so Try again re-runs only that query. */
export const MY_REPORTS_DEPENDENCY = 'web:my-reports';
export const MY_REPORTS_PAGE_SIZE = 25;

/** Where a report stands, in the reporter's words, with the badge look that goes with it. */
export function reportStatus(report: Pick<MyReport, 'state' | 'action'>): { label: string; kind: string } {
  switch (report.state) {
    case 'open':
      return { label: 'Waiting for a moderator', kind: 'neutral' };
    case 'in_review':
      return { label: 'A moderator is looking at it', kind: 'warning' };
    case 'dismissed':
      return { label: 'Dismissed: no rule was broken', kind: 'neutral' };
    case 'resolved':
      return { label: `Resolved: ${ACTION_WORDS[report.action ?? 'dismiss']}`, kind: 'success' };
  }
}

const ACTION_WORDS: Record<NonNullable<MyReport['action']>, string> = {
  dismiss: 'no action needed',
  delete_message: 'the message was removed',
  timeout: 'the person was timed out of the chat',
  platform_ban: 'the account was banned',
};

/** What was reported, in a line: "@name", "A message by @name: “…”", "The stream “…”". */
export function reportSubject(report: MyReport): string {
  const who = report.target ? `@${report.target.username}` : 'a deleted account';
  if (report.kind === 'message') return `A message by ${who}: “${report.messageBody ?? ''}”`;
  if (report.kind === 'stream')
    return `The stream “${report.streamTitle ?? 'that no longer exists'}” by ${who}`;
  return report.target ? `${report.target.displayName} (${who})` : 'A deleted account';
}

export const reasonLabel = (reason: MyReport['reason']) => REPORT_REASONS[reason];
