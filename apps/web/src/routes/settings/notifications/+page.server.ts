import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [preferences] = await Promise.allSettled([serverApi(event).notifications.preferences.query()]);
  return { preferences: settled(preferences) };
};
