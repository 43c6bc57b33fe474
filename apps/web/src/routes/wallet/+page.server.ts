import { redirect } from '@sveltejs/kit';
import { HISTORY_PAGE_SIZE, WALLET_DEPENDENCY } from '#lib/economy.ts';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  event.depends(WALLET_DEPENDENCY);
  const api = serverApi(event);
  // One batched request; each part fails on its own and says so in its own section.
  const [balance, catalogue, purchases, transactions] = await Promise.allSettled([
    api.wallet.balance.query(),
    api.payments.packages.query(),
    api.payments.purchases.query({ limit: HISTORY_PAGE_SIZE }),
    api.payments.transactions.query({ limit: HISTORY_PAGE_SIZE }),
  ]);
  return {
    balance: settled(balance),
    catalogue: settled(catalogue),
    purchases: settled(purchases),
    transactions: settled(transactions),
  };
};
