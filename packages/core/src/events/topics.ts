import type { Topic } from '../kernel/ports.ts';

/** A live room: chat, tips, reactions, deletions, settings, viewers, state, goal. */
export const streamTopic = (streamId: string) => `stream:${streamId}` as const satisfies Topic;
/** One user: whispers, notifications, balance and earnings, restrictions, session ends. */
export const userTopic = (userId: string) => `user:${userId}` as const satisfies Topic;
