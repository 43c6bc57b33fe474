import { error } from '@sveltejs/kit';
import { loadBrowse } from '#lib/server/browse.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { categories } = await event.parent();
  if (categories === null)
    error(503, 'We couldn’t load the categories just now. Please try again in a moment.');
  const category = categories.find((candidate) => candidate.slug === event.params.slug);
  if (!category) error(404, 'There’s no category at this address.');
  return { ...(await loadBrowse(event, categories, category)), category };
};
