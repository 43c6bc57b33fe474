import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { parseReportsFilter, REPORTS_DEPENDENCY, type ReportsResult, reportsInput } from './reports.ts';

export const load: PageServerLoad = async (event) => {
  // The (app) layout checks sign-in and role; wait for it so a refused request never asks for staff data.
  await event.parent();
  event.depends(REPORTS_DEPENDENCY);
  const filter = parseReportsFilter(event.url.searchParams);
  // Not awaited: the page streams in, showing its loading state until the list arrives.
  const reports: Promise<ReportsResult> = serverApi(event)
    .admin.reports.list.query(reportsInput(filter))
    .then(
      (page) => ({ ok: true, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => ({ ok: false, problem: readApiError(error) }),
    );
  return { filter, reports };
};
