import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, params }) => {
  const { categories } = await parent();
  if (categories === null)
    error(503, 'We couldn’t load the categories just now. Please try again in a moment.');
  const category = categories.find((candidate) => candidate.slug === params.slug);
  if (!category) error(404, 'There’s no category at this address.');
  return { category };
};
