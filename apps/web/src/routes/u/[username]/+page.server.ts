import { serverApi } from '#lib/server/api.ts';
import { failLoad } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { username } = event.params;
  try {
    const user = await serverApi(event).users.byUsername.query({ username });
    return { user };
  } catch (cause) {
    failLoad(cause, {
      NOT_FOUND: `No one on Lumen goes by @${username}.`,
      BAD_REQUEST: `“${username}” isn’t a valid username.`,
    });
  }
};
