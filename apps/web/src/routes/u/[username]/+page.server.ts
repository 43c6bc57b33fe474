import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import { findLiveStream, type LiveStream } from '#lib/server/live-stream.ts';
import { loadProfilePeople } from '#lib/server/profile-people.ts';
import { loadProfileStreams } from '#lib/server/profile-streams.ts';
import { loadUserByUsername } from '#lib/server/users.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { username } = event.params;
  const api = serverApi(event);
  const user = await loadUserByUsername(api, username);
  // Only a live profile needs its stream (for the Tip button); a failure here leaves the rest of the page alone.
  let liveStream: LiveStream | null = null;
  let liveProblem: string | null = null;
  if (user.isLive) {
    try {
      liveStream = await findLiveStream(api, user.id);
    } catch (cause) {
      liveProblem = readApiError(cause).message;
    }
  }
  const [{ streams }, people, levels] = await Promise.all([
    loadProfileStreams(api, user.id),
    loadProfilePeople(api, user.id),
    // Levels are a part of the page: when they fail the rest still shows, with a sentence in their place.
    api.levels.byUser
      .query({ username: user.username })
      .then((view) => ({ view, problem: null }))
      .catch((cause) => ({ view: null, problem: readApiError(cause).message })),
  ]);
  return { user, liveStream, liveProblem, streams, following: user.followedByMe, people, levels };
};
