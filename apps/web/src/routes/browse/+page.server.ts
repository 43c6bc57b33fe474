import { loadBrowse } from '#lib/server/browse.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { categories } = await event.parent();
  return loadBrowse(event, categories);
};
