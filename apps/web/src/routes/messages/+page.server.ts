import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  const [conversations] = await Promise.allSettled([serverApi(event).chat.conversations.query()]);
  return { conversations: settled(conversations) };
};
