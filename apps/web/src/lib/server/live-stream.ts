import type { serverApi } from './api.ts';

/** The live stream a profile's "Live now" card tips. */
export interface LiveStream {
  id: string;
  title: string;
}

/** A streamer has at most one stream that is not over, so the live one is among their newest few. */
const STREAMS_TO_SCAN = 3;

/** The user's live stream (from `users.streams`, newest first), or null when none is live. */
export async function findLiveStream(
  api: ReturnType<typeof serverApi>,
  userId: string,
): Promise<LiveStream | null> {
  const page = await api.users.streams.query({ userId, limit: STREAMS_TO_SCAN });
  const live = page.items.find((stream) => stream.status === 'live');
  return live ? { id: live.id, title: live.title } : null;
}
