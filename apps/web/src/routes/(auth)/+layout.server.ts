import { redirect } from '@sveltejs/kit';
import { safeNext } from '#lib/navigation.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ parent, url }) => {
  const { me } = await parent();
  // Someone already signed in has nothing to do here; send them on.
  if (me) redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};
