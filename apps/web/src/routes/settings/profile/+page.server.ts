import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // The profile form still works without the region list, so a failure here is not fatal.
  const regions = await serverApi(event)
    .regions.tree.query()
    .catch(() => null);
  return { regions };
};
