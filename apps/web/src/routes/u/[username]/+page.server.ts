import { describeError } from '#lib/errors.ts';
import { serverApi } from '#lib/server/api.ts';
import { findLiveStream, type LiveStream } from '#lib/server/live-stream.ts';
import { failLoad } from '#lib/server/load.ts';
import { loadProfileStreams } from '#lib/server/profile-streams.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { username } = event.params;
  const api = serverApi(event);
  let user: Awaited<ReturnType<typeof api.users.byUsername.query>>;
  try {
    user = await api.users.byUsername.query({ username });
  } catch (cause) {
    failLoad(cause, {
      NOT_FOUND: `No one on Lumen goes by @${username}.`,
      BAD_REQUEST: `“${username}” isn’t a valid username.`,
    });
  }
  // Only a live profile needs its stream (for the Tip button); a failure here leaves the rest of the page alone.
  let liveStream: LiveStream | null = null;
  let liveProblem: string | null = null;
  if (user.isLive) {
    try {
      liveStream = await findLiveStream(api, user.id);
    } catch (cause) {
      liveProblem = describeError(cause).message;
    }
  }
  const { streams } = await loadProfileStreams(api, user.id);
  return { user, liveStream, liveProblem, streams, following: user.followedByMe };
};
