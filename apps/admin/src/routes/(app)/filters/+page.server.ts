import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

/** The key the page's Refresh (and a save) invalidates. */
const FILTERS_DEPENDENCY = 'admin:filters';

export const load: PageServerLoad = async (event) => {
  const { staff } = await event.parent();
  // The platform's list is admins' alone: moderators get the page's refusal, and the API is never asked.
  if (staff.role !== 'admin') return { access: 'refused' as const };
  event.depends(FILTERS_DEPENDENCY);
  // Not awaited: the page streams in, showing its loading state until the list arrives.
  const filters = serverApi(event)
    .filters.get.query({ scope: { kind: 'platform' } })
    .then(
      (list) => ({
        ok: true as const,
        terms: list.terms,
        englishPreset: list.englishPreset,
        limits: list.limits,
      }),
      (error: unknown) => ({ ok: false as const, problem: readApiError(error) }),
    );
  return { access: 'admin' as const, filters };
};
