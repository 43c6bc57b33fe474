import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import { FEATURED_LIMIT } from '#lib/streams.ts';
import type { PageServerLoad } from './$types';

/** Live tiles on the home page; the rest are one click away on /browse. */
const HOME_LIVE_LIMIT = 12;

export const load: PageServerLoad = async (event) => {
  const api = serverApi(event);
  // Either may fail without taking the home page down; each section says so on its own.
  const [featured, live] = await Promise.allSettled([
    api.streams.featured.query({ limit: FEATURED_LIMIT }),
    api.streams.live.query({ sort: 'viewers', limit: HOME_LIVE_LIMIT }),
  ]);
  return { featured: settled(featured), live: settled(live) };
};
