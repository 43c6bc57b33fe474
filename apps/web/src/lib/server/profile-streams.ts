import type { serverApi } from './api.ts';
import { type Loaded, settled } from './load.ts';

type Api = ReturnType<typeof serverApi>;

/** Streams on a profile's first page; "Load more" fetches the rest in the browser. */
export const PROFILE_STREAMS_PAGE = 12;
/** A profile's streams (live and past, newest first); a failure leaves the rest of the page alone. */
export async function loadProfileStreams(api: Api, userId: string) {
  const [streams] = await Promise.allSettled([
    api.users.streams.query({ userId, limit: PROFILE_STREAMS_PAGE }),
  ]);
  const page: Loaded<Awaited<ReturnType<Api['users']['streams']['query']>>> = settled(streams);
  return { streams: page };
}
