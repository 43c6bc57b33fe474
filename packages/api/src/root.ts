import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { adminRouter } from './router/admin.ts';
import { authRouter } from './router/auth.ts';
import { categoriesRouter } from './router/categories.ts';
import { regionsRouter } from './router/regions.ts';
import { usersRouter } from './router/users.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  admin: adminRouter,
  auth: authRouter,
  categories: categoriesRouter,
  regions: regionsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
