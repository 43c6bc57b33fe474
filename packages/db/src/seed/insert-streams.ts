import type { Transaction } from '../client.ts';
import { type NewStream, streams } from '../schema/index.ts';
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

type StreamContext = {
  now: Date;
  streamer: { id: string; regionId: number | null };
  categoryIds: CategoryIds;
};

/** Every streamer's ended broadcasts and one draft each; nothing is left live. */
export async function insertStreams(
  tx: Transaction,
  now: Date,
  userIds: UserIds,
  categoryIds: CategoryIds,
): Promise<number> {
  const values = DEMO_STREAMS.flatMap((seed) => {
    const context = { now, streamer: lookup(userIds, seed.streamer, 'streamer'), categoryIds };
    return [...seed.past.map((past) => endedStream(context, past)), draftStream(context, seed)];
  });
  const rows = await tx.insert(streams).values(values).returning({ id: streams.id });
  return rows.length;
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

function draftStream(context: StreamContext, seed: StreamerStreamsSeed): NewStream {
  return {
    ...baseStream(context, seed.draft),
    status: 'draft',
    createdAt: context.now,
    updatedAt: context.now,
  };
}
