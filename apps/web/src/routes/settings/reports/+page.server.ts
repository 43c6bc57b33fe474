import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { MY_REPORTS_DEPENDENCY, MY_REPORTS_PAGE_SIZE, type MyReportsResult } from './my-reports.ts';

export const load: PageServerLoad = async (event) => {
  // The settings layout sends visitors to sign in; wait for it so they never ask for reports.
  await event.parent();
  event.depends(MY_REPORTS_DEPENDENCY);
  // Not awaited: the page streams in, showing its loading state until the list arrives.
  const reports: Promise<MyReportsResult> = serverApi(event)
    .reports.mine.query({ limit: MY_REPORTS_PAGE_SIZE })
    .then(
      (page) => ({ ok: true as const, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => ({ ok: false as const, problem: readApiError(error) }),
    );
  return { reports };
};
