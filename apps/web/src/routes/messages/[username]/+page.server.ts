import { redirect } from '@sveltejs/kit';
import { WHISPER_PAGE_SIZE } from '#lib/chat.ts';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import { loadUserByUsername } from '#lib/server/users.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  const { username } = event.params;
  const api = serverApi(event);
  const user = await loadUserByUsername(api, username);
  if (user.id === me.id) redirect(303, '/messages');
  const [thread] = await Promise.allSettled([
    api.chat.thread.query({ userId: user.id, limit: WHISPER_PAGE_SIZE }),
  ]);
  const { id, displayName, avatarUrl } = user;
  return { peer: { id, username: user.username, displayName, avatarUrl }, thread: settled(thread) };
};
