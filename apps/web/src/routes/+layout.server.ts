import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import { describeError } from '#lib/errors.ts';
import { SIDEBAR_COOKIE } from '#lib/preferences.ts';
import { serverApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const api = serverApi(event);
  // Both queries go out in one batched request; either may fail without taking the whole site down.
  const [me, categories] = await Promise.allSettled([api.auth.me.query(), api.categories.list.query()]);
  const failure = [me, categories].find((result) => result.status === 'rejected');

  return {
    me: me.status === 'fulfilled' ? me.value : null,
    categories: categories.status === 'fulfilled' ? categories.value : null,
    apiProblem: failure?.status === 'rejected' ? describeError(failure.reason).message : null,
    theme: parseTheme(event.cookies.get(THEME_COOKIE)),
    sidebarCollapsed: event.cookies.get(SIDEBAR_COOKIE) === '1',
  };
};
