import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { adminRouter } from './router/admin.ts';
import { authRouter } from './router/auth.ts';
import { categoriesRouter } from './router/categories.ts';
import { chatRouter } from './router/chat.ts';
import { filtersRouter } from './router/filters.ts';
import { goalsRouter } from './router/goals.ts';
import { leaderboardsRouter } from './router/leaderboards.ts';
import { levelsRouter } from './router/levels.ts';
import { limitsRouter } from './router/limits.ts';
import { menuRouter } from './router/menu.ts';
import { moderationRouter } from './router/moderation.ts';
import { notificationsRouter } from './router/notifications.ts';
import { paymentsRouter } from './router/payments.ts';
import { payoutsRouter } from './router/payouts.ts';
import { regionsRouter } from './router/regions.ts';
import { reportsRouter } from './router/reports.ts';
import { searchRouter } from './router/search.ts';
import { streamsRouter } from './router/streams.ts';
import { tipsRouter } from './router/tips.ts';
import { usersRouter } from './router/users.ts';
import { walletRouter } from './router/wallet.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  admin: adminRouter,
  auth: authRouter,
  categories: categoriesRouter,
  chat: chatRouter,
  filters: filtersRouter,
  goals: goalsRouter,
  leaderboards: leaderboardsRouter,
  limits: limitsRouter,
  menu: menuRouter,
  levels: levelsRouter,
  moderation: moderationRouter,
  notifications: notificationsRouter,
  payments: paymentsRouter,
  payouts: payoutsRouter,
  regions: regionsRouter,
  reports: reportsRouter,
  search: searchRouter,
  streams: streamsRouter,
  tips: tipsRouter,
  users: usersRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
