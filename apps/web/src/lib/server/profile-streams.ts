import type { serverApi } from './api.ts';
import { type Loaded, settled } from './load.ts';

type Api = ReturnType<typeof serverApi>;

/** Streams on a profile's first page; "Load more" fetches the rest in the browser. */
export const PROFILE_STREAMS_PAGE = 12;
/** `users.following` pages read to tell whether the visitor follows someone (the API has no direct question). */
const FOLLOWING_PAGES_TO_SCAN = 3;
const FOLLOWING_PAGE_SIZE = 100;

/**
 * Whether `followerId` follows `userId`. Following is idempotent, so if the answer is not among the newest few
 * hundred follows the button shows "Follow" and a click simply confirms the follow.
 */
async function follows(api: Api, followerId: string, userId: string): Promise<boolean> {
  let cursor: string | null = null;
  for (let page = 0; page < FOLLOWING_PAGES_TO_SCAN; page++) {
    const result = await api.users.following.query({
      userId: followerId,
      limit: FOLLOWING_PAGE_SIZE,
      cursor,
    });
    if (result.items.some((user) => user.id === userId)) return true;
    if (!result.nextCursor) return false;
    cursor = result.nextCursor;
  }
  return false;
}

/** A profile's streams (live and past, newest first) and the Follow button's state; each may fail alone. */
export async function loadProfileStreams(api: Api, viewerId: string | null, userId: string) {
  const [streams, following] = await Promise.allSettled([
    api.users.streams.query({ userId, limit: PROFILE_STREAMS_PAGE }),
    viewerId && viewerId !== userId ? follows(api, viewerId, userId) : Promise.resolve(false),
  ]);
  const page: Loaded<Awaited<ReturnType<Api['users']['streams']['query']>>> = settled(streams);
  return { streams: page, following: following.status === 'fulfilled' ? following.value : false };
}
