import type { RouterOutputs } from '@app/api';
import { type ApiProblem, STAFF_LIMITS } from '@app/api/client';
import { formatMoney } from '#lib/money.ts';

export type Withdrawal = RouterOutputs['admin']['payouts']['list']['items'][number];
export type WithdrawalStatus = Withdrawal['status'];
export type StatusFilter = WithdrawalStatus | 'all';
/** `approveHeld`: the explicit decision a held withdrawal needs, with a note saying why it may be paid. */
export type PayoutAction = 'approve' | 'approveHeld' | 'reject' | 'markPaid';

/** The first page of the list as the load streams it in. */
export type PayoutsResult =
  | { ok: true; items: Withdrawal[]; nextCursor: string | null }
  | { ok: false; problem: ApiProblem };

/** `depends()` key of the payouts load, so an action re-runs only that query. */
export const PAYOUTS_DEPENDENCY = 'admin:payouts';
/** Rows per page; "Load more" fetches the next page in the browser. */
export const PAYOUTS_PAGE_SIZE = 25;
/** The API refuses longer review notes. */
export const REVIEW_NOTE_MAX = STAFF_LIMITS.payoutNoteMax;

/** The filter tabs, in the order an admin works through them. */
export const STATUS_FILTERS: readonly { value: StatusFilter; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'held', label: 'Held' },
  { value: 'approved', label: 'Approved' },
  { value: 'paid', label: 'Paid' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'all', label: 'All' },
];

export const STATUS_BADGES: Record<
  WithdrawalStatus,
  { label: string; kind: 'warning' | 'accent' | 'success' | 'danger' }
> = {
  pending: { label: 'Pending', kind: 'warning' },
  held: { label: 'Held for review', kind: 'danger' },
  approved: { label: 'Approved', kind: 'accent' },
  paid: { label: 'Paid', kind: 'success' },
  rejected: { label: 'Rejected', kind: 'danger' },
};

/** `?status=` from the address bar; the work queue (pending) when missing or unknown. */
export function parseStatusFilter(value: string | null | undefined): StatusFilter {
  return STATUS_FILTERS.find((filter) => filter.value === value)?.value ?? 'pending';
}

/**
 * The review steps that fit a withdrawal's status, as the API allows them: approve a pending one, approve a held
 * one only as a held payout (with a note), mark an approved one paid, reject any of those (the tokens go back to
 * the streamer). Paid and rejected ones are final.
 */
export function actionsFor(status: WithdrawalStatus): PayoutAction[] {
  switch (status) {
    case 'pending':
      return ['approve', 'reject'];
    case 'held':
      return ['approveHeld', 'reject'];
    case 'approved':
      return ['markPaid', 'reject'];
    default:
      return [];
  }
}

/** Payout values are US cents: 5000 → "$50.00". */
export const formatCents = (cents: number) => formatMoney(cents, 'usd');

/** What the toast says after an action went through. */
export function actionDone(
  action: PayoutAction,
  withdrawal: Pick<Withdrawal, 'amountTokens' | 'streamer'>,
): string {
  const what = `${new Intl.NumberFormat('en-US').format(withdrawal.amountTokens)} tokens for @${withdrawal.streamer.username}`;
  if (action === 'approve') return `Approved ${what}.`;
  if (action === 'approveHeld') return `Approved the held withdrawal of ${what}.`;
  if (action === 'markPaid') return `Marked ${what} as paid.`;
  return `Rejected ${what}; the tokens are back in their earnings.`;
}
