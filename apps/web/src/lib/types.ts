import type { RouterOutputs } from '@app/api';
import type { Page } from '@app/ui';

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type Role = Me['role'];
export type PublicUser = RouterOutputs['users']['search']['items'][number];
/** A profile as the signed-in visitor sees it: with whether they follow it. */
export type Profile = RouterOutputs['users']['byUsername'];
export type Category = RouterOutputs['categories']['list'][number];
export type RegionTree = RouterOutputs['regions']['tree'];
export type UserSearchPage = RouterOutputs['users']['search'];
export type Balance = RouterOutputs['wallet']['balance'];
export type TokenPackage = RouterOutputs['payments']['packages']['packages'][number];
export type Purchase = RouterOutputs['payments']['purchases']['items'][number];
export type PurchaseStatus = Purchase['status'];
export type HistoryItem = RouterOutputs['payments']['transactions']['items'][number];
export type TipView = RouterOutputs['tips']['received']['items'][number];
export type TipAnalytics = RouterOutputs['tips']['analytics'];
export type AnalyticsRange = TipAnalytics['range'];
export type Withdrawal = RouterOutputs['payouts']['list']['items'][number];
export type WithdrawalStatus = Withdrawal['status'];

/** A list's first page as the page's load left it: the page, or a sentence saying why it could not load. */
export type FirstPage<Item, Cursor> =
  | { ok: true; value: Page<Item, Cursor> }
  | { ok: false; problem: string };
