import type { RouterOutputs } from '@app/api';
import type { ApiProblem } from '@app/api/client';
import { formatMoney } from '#lib/money.ts';

export type FinanceDay = RouterOutputs['admin']['finance']['report']['days'][number];
export type Purchase = RouterOutputs['admin']['finance']['purchases']['items'][number];
export type PurchaseStatus = Purchase['status'];
export type LedgerCheck = RouterOutputs['admin']['finance']['check'];
export type LedgerView = RouterOutputs['admin']['finance']['ledger'];
export type Loaded<T> = ({ ok: true } & T) | { ok: false; problem: ApiProblem };

export const FINANCE_DEPENDENCY = 'admin:finance';
export const PURCHASES_PAGE_SIZE = 25;

/** The report's periods; `?days=` from the address bar, 30 when missing or unknown. */
export const REPORT_PERIODS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number]['value'];
export function parsePeriod(value: string | null): ReportPeriod {
  return REPORT_PERIODS.find((period) => period.value === value)?.value ?? '30';
}

export type StatusFilter = PurchaseStatus | 'all';
export const PURCHASE_FILTERS: readonly { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'refunded', label: 'Refunded' },
  { value: 'disputed', label: 'Disputed' },
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Pending' },
];
export function parsePurchaseFilter(value: string | null): StatusFilter {
  return PURCHASE_FILTERS.find((filter) => filter.value === value)?.value ?? 'all';
}

export const PURCHASE_BADGES: Record<
  PurchaseStatus,
  { label: string; kind?: 'success' | 'warning' | 'danger' }
> = {
  pending: { label: 'Pending' },
  succeeded: { label: 'Succeeded', kind: 'success' },
  failed: { label: 'Failed', kind: 'danger' },
  refunded: { label: 'Refunded', kind: 'warning' },
  disputed: { label: 'Disputed', kind: 'danger' },
};

/** A day's revenue in every currency it was paid in: "$9.98 + €4.99", or "—" for none. */
export function formatRevenue(byCurrency: Record<string, number>): string {
  const parts = Object.entries(byCurrency)
    .filter(([, cents]) => cents !== 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, cents]) => formatMoney(cents, currency));
  return parts.length > 0 ? parts.join(' + ') : '—';
}

/** The period's totals, for the report's last row. */
export function totals(days: readonly FinanceDay[]) {
  const revenue: Record<string, number> = {};
  for (const day of days) {
    for (const [currency, cents] of Object.entries(day.revenueCents)) {
      revenue[currency] = (revenue[currency] ?? 0) + cents;
    }
  }
  const sum = (pick: (day: FinanceDay) => number) => days.reduce((total, day) => total + pick(day), 0);
  return {
    purchases: sum((day) => day.purchases),
    revenueCents: revenue,
    tokensBought: sum((day) => day.tokensBought),
    bonusTokens: sum((day) => day.bonusTokens),
    refunds: sum((day) => day.refunds),
    disputes: sum((day) => day.disputes),
    tokensTipped: sum((day) => day.tokensTipped),
    tokensPaidOut: sum((day) => day.tokensPaidOut),
    payoutCents: sum((day) => day.payoutCents),
  };
}

/** `?tx=` or `?account=`: what the ledger explorer shows; null when the address names neither (or nonsense). */
export function parseLookup(
  params: Pick<URLSearchParams, 'get'>,
): { kind: 'transaction' | 'account'; id: number } | null {
  for (const [param, kind] of [
    ['tx', 'transaction'],
    ['account', 'account'],
  ] as const) {
    const value = params.get(param);
    if (value && /^\d{1,15}$/.test(value) && Number(value) > 0) return { kind, id: Number(value) };
  }
  return null;
}

/** Sub-pages of Finance, for its tabs. */
export const FINANCE_TABS = [
  { value: 'report', label: 'Report and check', path: '/finance' },
  { value: 'purchases', label: 'Purchases', path: '/finance/purchases' },
  { value: 'ledger', label: 'Ledger explorer', path: '/finance/ledger' },
] as const;
