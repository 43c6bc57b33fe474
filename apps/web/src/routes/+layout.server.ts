import { readApiError, SESSION_COOKIE_NAME } from '@app/api/client';
import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import { WALLET_DEPENDENCY } from '#lib/economy.ts';
import { FOLLOWING_DEPENDENCY, SIDEBAR_FOLLOWING } from '#lib/following.ts';
import { SIDEBAR_COOKIE } from '#lib/preferences.ts';
import { serverApi } from '#lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  event.depends(WALLET_DEPENDENCY, FOLLOWING_DEPENDENCY);
  const api = serverApi(event);
  // Without a session cookie nobody is signed in: skip the balance instead of asking for a refusal.
  const maybeSignedIn = event.cookies.get(SESSION_COOKIE_NAME) !== undefined;
  // All queries go out in one batched request; any may fail without taking the whole site down.
  const [me, categories, balance, following] = await Promise.allSettled([
    api.auth.me.query(),
    api.categories.list.query(),
    maybeSignedIn ? api.wallet.balance.query() : Promise.resolve(null),
    maybeSignedIn ? api.users.followedChannels.query({ limit: SIDEBAR_FOLLOWING }) : Promise.resolve(null),
  ]);
  const failure = [me, categories].find((result) => result.status === 'rejected');
  const signedIn = me.status === 'fulfilled' ? me.value : null;

  return {
    me: signedIn,
    categories: categories.status === 'fulfilled' ? categories.value : null,
    // The header's balance; null when signed out or when it could not be read (the header then hides it).
    wallet:
      signedIn && balance.status === 'fulfilled' && balance.value
        ? { walletTokens: balance.value.walletTokens, frozen: balance.value.frozen }
        : null,
    // The sidebar's followed channels, live first; null when signed out or not loaded (the sidebar then hides them).
    following: signedIn && following.status === 'fulfilled' && following.value ? following.value : null,
    apiProblem: failure?.status === 'rejected' ? readApiError(failure.reason).message : null,
    theme: parseTheme(event.cookies.get(THEME_COOKIE)),
    sidebarCollapsed: event.cookies.get(SIDEBAR_COOKIE) === '1',
  };
};
