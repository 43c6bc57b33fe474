import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // The profile form still works without the region list, so a failure here is not fatal.
  const api = serverApi(event);
  const [regions, visibility] = await Promise.all([
    api.regions.tree.query().catch(() => null),
    // The leaderboards checkbox is left out when its state can't be read.
    api.leaderboards.visibility.query().catch(() => null),
  ]);
  return { regions, hiddenFromBoards: visibility?.hidden ?? null };
};
