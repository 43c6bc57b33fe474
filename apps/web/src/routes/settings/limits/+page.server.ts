import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [limits] = await Promise.allSettled([serverApi(event).limits.get.query()]);
  return { limits: settled(limits) };
};
