import type { AnalyticsRange, HistoryItem, PurchaseStatus, WithdrawalStatus } from './types.ts';

/** `depends()` key of every load that shows a token balance; `invalidate()` it after money moves. */
export const WALLET_DEPENDENCY = 'lumen:wallet';

/** Rows per page of every history list; "Load more" fetches the next page in the browser. */
export const HISTORY_PAGE_SIZE = 20;

/** The look of a status badge (`.ui-badge[data-kind]` in @app/ui, plus the money colours of this app). */
export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'accent';

export const PURCHASE_STATUS: Record<PurchaseStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Pending', tone: 'warning' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  refunded: { label: 'Refunded', tone: 'neutral' },
  disputed: { label: 'Disputed', tone: 'danger' },
};

export const WITHDRAWAL_STATUS: Record<WithdrawalStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Pending review', tone: 'warning' },
  held: { label: 'Held for review', tone: 'danger' },
  approved: { label: 'Approved', tone: 'accent' },
  rejected: { label: 'Rejected', tone: 'danger' },
  paid: { label: 'Paid', tone: 'success' },
};

const HISTORY_KIND_LABELS: Record<HistoryItem['kind'], string> = {
  purchase: 'Token purchase',
  tip: 'Tip',
  withdrawal: 'Withdrawal request',
  withdrawal_reversal: 'Withdrawal returned',
  refund: 'Refund',
  chargeback: 'Chargeback',
  bonus: 'Bonus',
  payout: 'Payout sent',
  adjustment: 'Adjustment',
  tip_reversal: 'Tip reversed (refunded payment)',
  grant: 'Granted by the platform',
};

/** What a person calls a ledger movement: a tip is "Tip sent" from the wallet and "Tip received" into earnings. */
export function historyLabel(item: Pick<HistoryItem, 'kind' | 'amountTokens'>): string {
  if (item.kind === 'tip') return item.amountTokens < 0 ? 'Tip sent' : 'Tip received';
  return HISTORY_KIND_LABELS[item.kind] ?? 'Adjustment';
}

export const ACCOUNT_LABELS: Record<HistoryItem['account'], string> = {
  wallet: 'Wallet',
  earnings: 'Earnings',
  debt: 'Debt',
  // Platform accounts never appear in a person's own history; named anyway so nothing shows a raw key.
  issuance: 'Issuance',
  bonus: 'Bonus',
  payouts: 'Payouts',
  chargebacks: 'Chargebacks',
  promotions: 'Promotions',
};

/** Streamers and admins earn (the API's `streamerProcedure`); everyone else has a wallet only. */
export function canEarn(role: string): boolean {
  return role === 'streamer' || role === 'admin';
}

/** A fresh key for one money action; reuse it when retrying that same action so it cannot happen twice. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** The analytics ranges the API offers, with their length in days, in the order the switch shows them. */
export const ANALYTICS_RANGES: readonly { range: AnalyticsRange; days: number; label: string }[] = [
  { range: '7d', days: 7, label: '7 days' },
  { range: '30d', days: 30, label: '30 days' },
  { range: '90d', days: 90, label: '90 days' },
];
export const DEFAULT_ANALYTICS_RANGE: AnalyticsRange = '30d';

/** `?range=` from the address bar; anything unknown falls back to the default. */
export function parseAnalyticsRange(value: string | null | undefined): AnalyticsRange {
  return ANALYTICS_RANGES.find((option) => option.range === value)?.range ?? DEFAULT_ANALYTICS_RANGE;
}

export function rangeDays(range: AnalyticsRange): number {
  return ANALYTICS_RANGES.find((option) => option.range === range)?.days ?? 30;
}

/** The variables that turn on payments, each with the Stripe test key it takes (Developers → API keys). */
export const STRIPE_TEST_MODE_VARIABLES: readonly { name: string; example: string }[] = [
  { name: 'STRIPE_SECRET_KEY', example: 'sk_test_…' },
  { name: 'STRIPE_WEBHOOK_SECRET', example: 'whsec_… (printed by stripe listen)' },
  { name: 'STRIPE_PUBLISHABLE_KEY', example: 'pk_test_…' },
];

/** The Stripe CLI command that sends test webhooks to this site's API (`http://localhost:3000` by default). */
export function stripeListenCommand(apiUrl: string): string {
  let host = 'localhost:3000';
  try {
    host = new URL(apiUrl).host || host;
  } catch {
    // A relative or missing API address: the default port is the best guess.
  }
  return `stripe listen --forward-to ${host}/webhooks/stripe`;
}
