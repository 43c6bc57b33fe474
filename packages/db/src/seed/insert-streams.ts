import type { Transaction } from '../client.ts';
import { type NewStream, streams } from '../schema/index.ts';
import { LIVE_STREAMS, type LiveStreamSeed } from './data/live-streams.ts';
import {
  DEMO_STREAMS,
  type PastStreamSeed,
  type StreamDetails,
  type StreamerStreamsSeed,
} from './data/streams.ts';
import { type CategoryIds, lookup } from './insert-catalog.ts';
import { daysBefore, type UserIds } from './insert-users.ts';

const MINUTE_MS = 60 * 1000;
/** Streams are created a little before they start, as a streamer sets up title and category first. */
const SETUP_MINUTES = 20;
/** Core's trending interval (`streams/lifecycle.ts`): a newer stream outranks one with ten times its viewers. */
const TRENDING_INTERVAL_SECONDS = 4 * 60 * 60;

type StreamContext = {
  now: Date;
  streamer: { id: string; regionId: number | null };
  categoryIds: CategoryIds;
};

/** The streams left live, by their streamer's username. */
export type LiveStreamIds = ReadonlyMap<string, { id: string; startedAt: Date }>;

/** Every streamer's ended broadcasts and one draft each, and the streams that are live now. */
export async function insertStreams(
  tx: Transaction,
  now: Date,
  userIds: UserIds,
  categoryIds: CategoryIds,
): Promise<{ count: number; live: LiveStreamIds }> {
  const values = DEMO_STREAMS.flatMap((seed) => {
    const context = { now, streamer: lookup(userIds, seed.streamer, 'streamer'), categoryIds };
    return [...seed.past.map((past) => endedStream(context, past)), draftStream(context, seed)];
  });
  const live = LIVE_STREAMS.map((seed) =>
    liveStream({ now, streamer: lookup(userIds, seed.streamer, 'streamer'), categoryIds }, seed),
  );
  const rows = await tx
    .insert(streams)
    .values([...values, ...live])
    .returning({ id: streams.id });
  const liveIds = new Map(
    LIVE_STREAMS.map((seed, i) => [seed.streamer, { id: live[i]!.id!, startedAt: live[i]!.startedAt! }]),
  );
  return { count: rows.length, live: liveIds };
}

function baseStream(context: StreamContext, details: StreamDetails): NewStream {
  const category = lookup(context.categoryIds, details.category, 'category');
  // The id is chosen here so the LiveKit room can carry it: one room per stream, named after it.
  const id = crypto.randomUUID();
  return {
    id,
    streamerId: context.streamer.id,
    title: details.title,
    description: details.description,
    categoryId: category.id,
    regionId: context.streamer.regionId,
    tags: [...details.tags],
    nsfw: category.adult,
    language: details.language,
    settings: details.settings ?? {},
    livekitRoom: `stream-${id}`,
  };
}

function endedStream(context: StreamContext, past: PastStreamSeed): NewStream {
  const startedAt = daysBefore(context.now, past.daysAgo);
  const endedAt = new Date(startedAt.getTime() + past.durationMinutes * MINUTE_MS);
  const createdAt = new Date(startedAt.getTime() - SETUP_MINUTES * MINUTE_MS);
  return {
    ...baseStream(context, past),
    status: 'ended',
    startedAt,
    endedAt,
    peakViewers: past.peakViewers,
    totalViews: past.totalViews,
    createdAt,
    updatedAt: endedAt,
  };
}

/**
 * Live with a stored viewer count, as presence would have left it. The trending score is core's
 * (`streams/lifecycle.ts` trendingScore: log10(1 + viewers) + start time in four-hour intervals).
 */
function liveStream(context: StreamContext, seed: LiveStreamSeed): NewStream {
  const startedAt = new Date(context.now.getTime() - seed.startedMinutesAgo * MINUTE_MS);
  return {
    ...baseStream(context, seed),
    status: 'live',
    startedAt,
    currentViewers: seed.viewers,
    peakViewers: seed.viewers,
    totalViews: seed.viewers,
    trendingScore: Math.log10(1 + seed.viewers) + startedAt.getTime() / 1000 / TRENDING_INTERVAL_SECONDS,
    createdAt: new Date(startedAt.getTime() - SETUP_MINUTES * MINUTE_MS),
    updatedAt: startedAt,
  };
}

function draftStream(context: StreamContext, seed: StreamerStreamsSeed): NewStream {
  return {
    ...baseStream(context, seed.draft),
    status: 'draft',
    createdAt: context.now,
    updatedAt: context.now,
  };
}
