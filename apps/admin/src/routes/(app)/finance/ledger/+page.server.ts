import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import { FINANCE_DEPENDENCY, type LedgerView, type Loaded, parseLookup } from '../finance.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { staff } = await event.parent();
  if (staff.role !== 'admin') return { access: 'refused' as const };
  event.depends(FINANCE_DEPENDENCY);
  const lookup = parseLookup(event.url.searchParams);
  const found: Promise<Loaded<{ view: LedgerView }>> | null = lookup
    ? serverApi(event)
        .admin.finance.ledger.query(lookup)
        .then(
          (view) => ({ ok: true as const, view }),
          (error: unknown) => ({ ok: false as const, problem: readApiError(error) }),
        )
    : null;
  return { access: 'admin' as const, lookup, found };
};
