import { redirect } from '@sveltejs/kit';
import { canEarn, HISTORY_PAGE_SIZE, parseAnalyticsRange, WALLET_DEPENDENCY } from '#lib/economy.ts';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  // Viewers and moderators get the page that explains how to start earning, without asking the API.
  if (!canEarn(me.role)) return { access: 'not-streamer' as const };
  event.depends(WALLET_DEPENDENCY);
  const range = parseAnalyticsRange(event.url.searchParams.get('range'));
  const api = serverApi(event);
  const [balance, withdrawals, tips, analytics] = await Promise.allSettled([
    api.wallet.balance.query(),
    api.payouts.list.query({ limit: HISTORY_PAGE_SIZE }),
    api.tips.received.query({ limit: HISTORY_PAGE_SIZE }),
    api.tips.analytics.query({ range }),
  ]);
  return {
    access: 'streamer' as const,
    range,
    balance: settled(balance),
    withdrawals: settled(withdrawals),
    tips: settled(tips),
    analytics: settled(analytics),
  };
};
