import { redirect } from '@sveltejs/kit';
import { FOLLOWING_PAGE } from '#lib/following.ts';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  const [first] = await Promise.allSettled([
    serverApi(event).users.followedChannels.query({ limit: FOLLOWING_PAGE }),
  ]);
  return { first: settled(first) };
};
