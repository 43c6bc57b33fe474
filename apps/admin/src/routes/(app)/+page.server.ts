import { type ApiProblem, readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { DASHBOARD_DEPENDENCY, type DashboardCounts } from './dashboard-stats.ts';

export type DashboardResult =
  | { ok: true; counts: DashboardCounts; fetchedAt: Date }
  | { ok: false; problem: ApiProblem };

export const load: PageServerLoad = async (event) => {
  // The (app) layout checks sign-in and role; wait for it so a refused request never asks for staff data.
  await event.parent();
  event.depends(DASHBOARD_DEPENDENCY);
  // Not awaited: the page streams in, showing its loading state until the counts arrive.
  const dashboard: Promise<DashboardResult> = serverApi(event)
    .admin.dashboard.query()
    .then(
      (counts) => ({ ok: true, counts, fetchedAt: new Date() }),
      (error: unknown) => ({ ok: false, problem: readApiError(error) }),
    );
  return { dashboard };
};
