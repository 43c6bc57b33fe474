import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ parent, url }) => {
  const { me } = await parent();
  if (!me) redirect(303, loginUrl(url));
  return { me };
};
