export { type ApiConfig, type ApiContext, createApiContext } from './context.ts';
export { type CookieOptions, readCookie } from './cookies.ts';
export {
  parseRoomChannelId,
  ROOM_PROCEDURE_PATH,
  type RoomChannelId,
  roomChannelId,
} from './room-channel.ts';
export { type AppRouter, appRouter, createCaller, type RouterInputs, type RouterOutputs } from './root.ts';
export { StreamSubscription } from './router/chat.ts';
export { transformer } from './transformer.ts';
export { MAX_BATCH_CALLS } from './transport-limits.ts';
export type { ProcedureMeta } from './trpc.ts';
