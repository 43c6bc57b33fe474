import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { type Loaded, settled } from '#lib/server/load.ts';
import { canStream, type IngressView, type StreamView } from '#lib/streams.ts';
import type { PageServerLoad } from './$types';

/** A streamer has at most one stream that is not over, so it is among their newest few. */
const STREAMS_TO_SCAN = 5;

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  // Viewers and moderators get the page that explains how to start streaming, without asking the API.
  if (!canStream(me.role)) return { access: 'not-streamer' as const, me };
  const api = serverApi(event);
  const [mine, regions] = await Promise.allSettled([
    api.users.streams.query({ userId: me.id, limit: STREAMS_TO_SCAN }),
    api.regions.tree.query(),
  ]);
  const recent = mine.status === 'fulfilled' ? mine.value.items : [];
  const open = recent.find((stream) => stream.status !== 'ended') ?? null;
  let stream: Loaded<StreamView | null> = { ok: true, value: null };
  let ingress: Loaded<IngressView | null> = { ok: true, value: null };
  if (mine.status === 'rejected') stream = settled(mine) as Loaded<never>;
  else if (open) {
    const [view, key] = await Promise.allSettled([
      api.streams.byId.query({ streamId: open.id }),
      api.streams.ingress.get.query({ streamId: open.id }),
    ]);
    stream = settled(view);
    ingress = settled(key);
  }
  return {
    access: 'streamer' as const,
    me,
    stream,
    ingress,
    // A new stream starts from the last one's settings.
    previous: recent.find((candidate) => candidate.status === 'ended') ?? null,
    regions: regions.status === 'fulfilled' ? regions.value : null,
  };
};
