import type { serverApi } from './api.ts';
import { failLoad } from './load.ts';

/**
 * The user a page's `[username]` names (a profile, a conversation); an unknown or malformed name becomes the
 * error page with a sentence that says so.
 */
export async function loadUserByUsername(api: ReturnType<typeof serverApi>, username: string) {
  try {
    return await api.users.byUsername.query({ username });
  } catch (cause) {
    failLoad(cause, {
      NOT_FOUND: `No one on Lumen goes by @${username}.`,
      BAD_REQUEST: `“${username}” isn’t a valid username.`,
    });
  }
}
