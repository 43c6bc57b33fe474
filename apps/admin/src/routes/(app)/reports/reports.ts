import type { RouterInputs, RouterOutputs } from '@app/api';
import { type ApiProblem, REPORT_REASONS } from '@app/api/client';
import type { Viewer } from '#lib/roles.ts';

export type StaffReport = RouterOutputs['admin']['reports']['list']['items'][number];
export type ReportView = 'queue' | 'history';
export type ReportKind = StaffReport['kind'];
export type ResolveAction = RouterInputs['admin']['reports']['resolve']['action'];

/** What the address bar asks for: `?view=history`, `?kind=message`, `?state=in_review`. */
export interface ReportsFilter {
  view: ReportView;
  kind: ReportKind | 'all';
  state: StaffReport['state'] | 'all';
}

export type ReportsResult =
  | { ok: true; items: StaffReport[]; nextCursor: number | null }
  | { ok: false; problem: ApiProblem };

/** `depends()` key of the reports load, so Refresh re-runs only that query. */
export const REPORTS_DEPENDENCY = 'admin:reports';
export const REPORTS_PAGE_SIZE = 25;

export const VIEW_CHOICES = [
  { value: 'queue', label: 'Queue' },
  { value: 'history', label: 'History' },
] as const satisfies readonly { value: ReportView; label: string }[];

export const KIND_CHOICES = [
  { value: 'all', label: 'Everything' },
  { value: 'message', label: 'Messages' },
  { value: 'user', label: 'People' },
  { value: 'stream', label: 'Streams' },
] as const satisfies readonly { value: ReportsFilter['kind']; label: string }[];

/** The states each view narrows to. */
export const STATE_CHOICES: Record<ReportView, readonly { value: ReportsFilter['state']; label: string }[]> =
  {
    queue: [
      { value: 'all', label: 'Open and in review' },
      { value: 'open', label: 'Open' },
      { value: 'in_review', label: 'In review' },
    ],
    history: [
      { value: 'all', label: 'All closed' },
      { value: 'resolved', label: 'Resolved' },
      { value: 'dismissed', label: 'Dismissed' },
    ],
  };

/** The filter from the address bar; anything unknown (or a state outside its view) falls back to all. */
export function parseReportsFilter(params: URLSearchParams): ReportsFilter {
  const view: ReportView = params.get('view') === 'history' ? 'history' : 'queue';
  const kind = KIND_CHOICES.find((choice) => choice.value === params.get('kind'))?.value ?? 'all';
  const state = STATE_CHOICES[view].find((choice) => choice.value === params.get('state'))?.value ?? 'all';
  return { view, kind, state };
}

/** The address for a filter, leaving out what is at its default. */
export function reportsSearch(filter: ReportsFilter): string {
  const params = new URLSearchParams();
  if (filter.view !== 'queue') params.set('view', filter.view);
  if (filter.kind !== 'all') params.set('kind', filter.kind);
  if (filter.state !== 'all') params.set('state', filter.state);
  const search = params.toString();
  return search ? `?${search}` : '?';
}

export function reportsInput(
  filter: ReportsFilter,
  cursor: number | null = null,
): RouterInputs['admin']['reports']['list'] {
  return {
    view: filter.view,
    ...(filter.kind !== 'all' ? { kind: filter.kind } : {}),
    ...(filter.state !== 'all' ? { state: filter.state } : {}),
    ...(cursor ? { cursor } : {}),
    limit: REPORTS_PAGE_SIZE,
  };
}

export const reasonLabel = (reason: StaffReport['reason']) => REPORT_REASONS[reason];

export const KIND_LABELS: Record<ReportKind, string> = {
  message: 'Chat message',
  user: 'Person',
  stream: 'Stream',
};

export const STATE_BADGES: Record<StaffReport['state'], { label: string; kind?: 'warning' | 'success' }> = {
  open: { label: 'Open' },
  in_review: { label: 'In review', kind: 'warning' },
  resolved: { label: 'Resolved', kind: 'success' },
  dismissed: { label: 'Dismissed' },
};

export const ACTION_LABELS: Record<ResolveAction, string> = {
  dismiss: 'Dismissed',
  delete_message: 'Message deleted',
  timeout: 'Timed out in the room',
  platform_ban: 'Banned from Lumen',
};

export const TIMEOUT_CHOICES = [
  { seconds: 10 * 60, label: '10 minutes' },
  { seconds: 60 * 60, label: '1 hour' },
  { seconds: 24 * 60 * 60, label: '24 hours' },
  { seconds: 7 * 24 * 60 * 60, label: '7 days' },
] as const;

/** The actions that fit a report, in the order the form offers them (the API refuses the others). */
export function actionsFor(report: StaffReport): ResolveAction[] {
  const actions: ResolveAction[] = ['dismiss'];
  if (report.kind === 'message' && report.message?.id && !report.message.deletedAt)
    actions.push('delete_message');
  if (report.kind !== 'stream' && report.stream && report.target) actions.push('timeout');
  if (report.target && !report.target.bannedAt) actions.push('platform_ban');
  return actions;
}

/** What the signed-in staff member can do with the report's claim: claim it, take it over, or nothing. */
export function claimStep(
  report: StaffReport,
  staff: Pick<Viewer, 'id' | 'role'>,
): 'claim' | 'takeOver' | null {
  if (report.state === 'open') return 'claim';
  if (report.state !== 'in_review' || report.claimedBy?.id === staff.id) return null;
  return staff.role === 'admin' ? 'takeOver' : null;
}

/** "@name" or "a deleted account", for a person the report names. */
export const handle = (person: { username: string } | null) =>
  person ? `@${person.username}` : 'a deleted account';
