import { redirect } from '@sveltejs/kit';
import { loginUrl } from '#lib/navigation.ts';
import { serverApi } from '#lib/server/api.ts';
import { type Loaded, settled } from '#lib/server/load.ts';
import { canStream, type IngressView, type StreamView } from '#lib/streams.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  if (!me) redirect(303, loginUrl(event.url));
  // Viewers and moderators get the page that explains how to start streaming, without asking the API.
  if (!canStream(me.role)) return { access: 'not-streamer' as const, me };
  const api = serverApi(event);
  const [mine, regions] = await Promise.allSettled([api.streams.current.query(), api.regions.tree.query()]);
  const current = mine.status === 'fulfilled' ? mine.value : null;
  let stream: Loaded<StreamView | null> = { ok: true, value: current?.stream ?? null };
  let ingress: Loaded<IngressView | null> = { ok: true, value: null };
  if (mine.status === 'rejected') stream = settled(mine) as Loaded<never>;
  else if (current?.stream) {
    ingress = settled(
      (await Promise.allSettled([api.streams.ingress.get.query({ streamId: current.stream.id })]))[0]!,
    );
  }
  return {
    access: 'streamer' as const,
    me,
    stream,
    ingress,
    // A new stream starts from the last one's settings.
    previous: current?.previous ?? null,
    regions: regions.status === 'fulfilled' ? regions.value : null,
  };
};
