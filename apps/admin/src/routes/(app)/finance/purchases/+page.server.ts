import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import {
  FINANCE_DEPENDENCY,
  type Loaded,
  PURCHASES_PAGE_SIZE,
  type Purchase,
  parsePurchaseFilter,
} from '../finance.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { staff } = await event.parent();
  if (staff.role !== 'admin') return { access: 'refused' as const };
  event.depends(FINANCE_DEPENDENCY);
  const status = parsePurchaseFilter(event.url.searchParams.get('status'));
  const purchases: Promise<Loaded<{ items: Purchase[]; nextCursor: string | null }>> = serverApi(event)
    .admin.finance.purchases.query({
      status: status === 'all' ? undefined : status,
      limit: PURCHASES_PAGE_SIZE,
    })
    .then(
      (page) => ({ ok: true as const, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => ({ ok: false as const, problem: readApiError(error) }),
    );
  return { access: 'admin' as const, status, purchases };
};
