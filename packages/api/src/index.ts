export { type ApiConfig, type ApiContext, createApiContext } from './context.ts';
export type { CookieOptions } from './cookies.ts';
export { ROOM_SUBSCRIPTION_PREFIX } from './realtime.ts';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root.ts';
export { StreamSubscription } from './router/chat.ts';
