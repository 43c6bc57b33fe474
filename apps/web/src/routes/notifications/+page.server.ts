import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import { NOTIFICATIONS_DEPENDENCY, NOTIFICATIONS_PAGE } from '#lib/notifications.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  event.depends(NOTIFICATIONS_DEPENDENCY);
  const [first] = await Promise.allSettled([
    serverApi(event).notifications.list.query({ limit: NOTIFICATIONS_PAGE }),
  ]);
  return { first: settled(first) };
};
