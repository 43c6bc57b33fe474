import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import {
  PAYOUTS_DEPENDENCY,
  PAYOUTS_PAGE_SIZE,
  type PayoutsResult,
  parseStatusFilter,
  type StatusFilter,
} from './payouts.ts';

export const load: PageServerLoad = async (event) => {
  const { staff } = await event.parent();
  // Moderators get the page's refusal, and the API is never asked for money data on their behalf.
  if (staff.role !== 'admin') return { access: 'refused' as const };
  event.depends(PAYOUTS_DEPENDENCY);
  const status: StatusFilter = parseStatusFilter(event.url.searchParams.get('status'));
  // Not awaited: the page streams in, showing its loading state until the list arrives.
  const payouts: Promise<PayoutsResult> = serverApi(event)
    .admin.payouts.list.query({ status: status === 'all' ? undefined : status, limit: PAYOUTS_PAGE_SIZE })
    .then(
      (page) => ({ ok: true, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => ({ ok: false, problem: readApiError(error) }),
    );
  return { access: 'admin' as const, status, payouts };
};
