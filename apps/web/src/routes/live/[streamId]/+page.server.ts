import { serverApi } from '#lib/server/api.ts';
import { failLoad } from '#lib/server/load.ts';
import type { StreamView } from '#lib/streams.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = serverApi(event);
  let stream: StreamView;
  try {
    stream = await api.streams.byId.query({ streamId: event.params.streamId });
  } catch (cause) {
    failLoad(cause, {
      NOT_FOUND: 'This stream doesn’t exist, or it isn’t public yet.',
      BAD_REQUEST: 'That isn’t the address of a stream.',
    });
  }
  if (stream.gate) {
    // Nothing of an adults-only stream leaves this server before the viewer may watch it: no title, description,
    // tags or thumbnail in the page, and the player (which asks for a media token) is never rendered.
    const { username, displayName } = stream.streamer;
    return { gate: stream.gate, streamer: { username, displayName }, stream: null, followerCount: null };
  }
  // The follower count is a nice-to-have: the page works without it.
  const followerCount = await api.users.byId
    .query({ id: stream.streamer.id })
    .then((user) => user.followerCount)
    .catch(() => null);
  return { gate: null, streamer: null, stream, followerCount };
};
