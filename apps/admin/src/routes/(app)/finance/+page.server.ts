import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { FINANCE_DEPENDENCY, type FinanceDay, type Loaded, parsePeriod } from './finance.ts';

export const load: PageServerLoad = async (event) => {
  const { staff } = await event.parent();
  // Moderators get the page's refusal, and the API is never asked for money data on their behalf.
  if (staff.role !== 'admin') return { access: 'refused' as const };
  event.depends(FINANCE_DEPENDENCY);
  const period = parsePeriod(event.url.searchParams.get('days'));
  // Not awaited: the page streams in, showing its loading state until the report arrives.
  const report: Promise<Loaded<{ days: FinanceDay[] }>> = serverApi(event)
    .admin.finance.report.query({ days: Number(period) })
    .then(
      (result) => ({ ok: true as const, days: result.days }),
      (error: unknown) => ({ ok: false as const, problem: readApiError(error) }),
    );
  return { access: 'admin' as const, period, report };
};
