import { readApiError } from '@app/api/client';
import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import { toViewer } from '#lib/roles.ts';
import { serverApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

// Who is signed in, for every page. Guards live in (app)/+layout.server.ts; /login only reads this.
export const load: LayoutServerLoad = async (event) => {
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  try {
    const me = await serverApi(event).auth.me.query();
    return { theme, viewer: me ? toViewer(me) : null, apiProblem: null };
  } catch (error) {
    return { theme, viewer: null, apiProblem: readApiError(error).message };
  }
};
