import type { Executor } from '@app/db/client';
import { uniqueViolation } from '@app/db/engine';
import { categories, regions, type Stream, streams, users } from '@app/db/schema';
import { and, desc, eq, ne } from 'drizzle-orm';
import { announceReadsChanged } from '../events/reads.ts';
import { publishToRoom } from '../events/room.ts';
import { screenText } from '../filters/screen.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { announce, endStream, goLive, lockStream } from './lifecycle.ts';
import { MEDIA_UNAVAILABLE } from './livekit.ts';
import { mediaStatus } from './media-status.ts';
import type { CreateStreamInput, UpdateStreamInput } from './schemas.ts';
import { loadStreamView, type StreamView } from './views.ts';

/** A stream as its page shows it, with whether video can flow now. */
async function viewOf(deps: CoreDeps, row: Stream, viewer: Viewer): Promise<StreamView> {
  return loadStreamView(deps.db, row, viewer, deps.clock.now(), await mediaStatus(deps));
}

/** A title is read by the platform's and the streamer's own word filters. */
const TITLE = { field: 'title', what: 'The stream title' };

/** Staff may end any stream (moderation); everything else about a stream is its owner's alone. */
const isStaff = (viewer: NonNullable<Viewer>) => viewer.role === 'moderator' || viewer.role === 'admin';

async function checkPlacement(
  db: Executor,
  input: { categoryId?: number | null | undefined; regionId?: number | null | undefined },
): Promise<{ adult: boolean }> {
  let adult = false;
  if (input.categoryId != null) {
    const [category] = await db
      .select({ adult: categories.adult })
      .from(categories)
      .where(eq(categories.id, input.categoryId));
    if (!category) throw invalid('categoryId', 'Choose a category from the list.');
    adult = category.adult;
  }
  if (input.regionId != null) {
    const [region] = await db.select({ id: regions.id }).from(regions).where(eq(regions.id, input.regionId));
    if (!region) throw invalid('regionId', 'Choose a region from the list.');
  }
  return { adult };
}

/** A new draft for the streamer; a streamer has one stream that is not over at a time. */
export async function createStream(
  deps: CoreDeps,
  streamerId: string,
  input: CreateStreamInput,
): Promise<StreamView> {
  const { adult } = await checkPlacement(deps.db, input);
  const title = await screenText(deps, { channelId: streamerId }, input.title, TITLE);
  const [streamer] = await deps.db
    .select({
      regionId: users.regionId,
      role: users.role,
      displayName: users.displayName,
      ageVerifiedAt: users.ageVerifiedAt,
      bannedAt: users.bannedAt,
    })
    .from(users)
    .where(eq(users.id, streamerId));
  if (!streamer) throw notFound('That user');
  const nsfw = input.nsfw || adult;
  if (nsfw && !streamer.ageVerifiedAt) throw forbidden('Verify your age before setting up an adult stream.');
  const id = crypto.randomUUID();
  try {
    const [row] = await deps.db
      .insert(streams)
      .values({
        id,
        streamerId,
        title,
        description: input.description,
        categoryId: input.categoryId ?? null,
        regionId: input.regionId === undefined ? streamer.regionId : input.regionId,
        tags: input.tags,
        nsfw,
        language: input.language,
        thumbnailUrl: input.thumbnailUrl ?? null,
        settings: input.settings,
        // One LiveKit room per stream, named after it.
        livekitRoom: `stream-${id}`,
      })
      .returning();
    return viewOf(deps, row!, { id: streamerId, ...streamer });
  } catch (error) {
    if (uniqueViolation(error) === 'streams_streamer_id_open_key') {
      throw new DomainError(
        'CONFLICT',
        'You already have a stream that is not over. Edit it, or end it before creating another.',
      );
    }
    throw error;
  }
}

async function ownedStream(db: Executor, streamId: string, viewer: NonNullable<Viewer>): Promise<Stream> {
  const [row] = await db.select().from(streams).where(eq(streams.id, streamId));
  if (!row) throw notFound('That stream');
  if (row.streamerId !== viewer.id) throw forbidden('Only the streamer can do that to this stream.');
  return row;
}

/** The owner edits a stream that is not over; an adult category always makes it NSFW. */
export async function updateStream(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  input: UpdateStreamInput,
): Promise<StreamView> {
  const { streamId, ...fields } = input;
  const current = await ownedStream(deps.db, streamId, viewer);
  if (current.status === 'ended')
    throw new DomainError('CONFLICT', 'This stream is over; it cannot be edited.');
  const { adult } = await checkPlacement(deps.db, fields);
  if (fields.title !== undefined) {
    fields.title = await screenText(deps, { channelId: current.streamerId }, fields.title, TITLE);
  }
  const changes = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const categoryChanged = fields.categoryId !== undefined;
  const adultNow = categoryChanged ? adult : await categoryIsAdult(deps.db, current.categoryId);
  if (adultNow) changes.nsfw = true;
  if (changes.nsfw && !viewer.ageVerifiedAt)
    throw forbidden('Verify your age before setting up an adult stream.');
  const [row] =
    Object.keys(changes).length > 0
      ? await deps.db.update(streams).set(changes).where(eq(streams.id, streamId)).returning()
      : [current];
  await publishToRoom(deps.bus, streamId, {
    type: 'stream.updated',
    streamId,
    title: row!.title,
    tags: row!.tags,
    nsfw: row!.nsfw,
  });
  // A live stream's card (title, tags, category, region, adult) changes in every listing.
  if (row!.status === 'live') await announceReadsChanged(deps, ['streams']);
  return viewOf(deps, row!, viewer);
}

async function categoryIsAdult(db: Executor, categoryId: number | null): Promise<boolean> {
  if (categoryId === null) return false;
  const [category] = await db
    .select({ adult: categories.adult })
    .from(categories)
    .where(eq(categories.id, categoryId));
  return category?.adult ?? false;
}

/** Anyone may see a live or ended stream; a draft only its owner. Streams of banned streamers are gone. */
export async function streamById(deps: CoreDeps, viewer: Viewer, streamId: string): Promise<StreamView> {
  const [found] = await deps.db
    .select({ stream: streams, bannedAt: users.bannedAt })
    .from(streams)
    .innerJoin(users, eq(users.id, streams.streamerId))
    .where(eq(streams.id, streamId));
  const visible =
    found && !found.bannedAt && (found.stream.status !== 'draft' || found.stream.streamerId === viewer?.id);
  if (!visible) throw notFound('That stream');
  return viewOf(deps, found.stream, viewer);
}

/**
 * The studio's streams: the owner's one stream that is not over (draft or live), and their newest ended one, whose
 * settings a new stream starts from.
 */
export async function currentStreams(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
): Promise<{ stream: StreamView | null; previous: StreamView | null }> {
  const newest = (open: boolean) =>
    deps.db
      .select()
      .from(streams)
      .where(
        and(
          eq(streams.streamerId, viewer.id),
          open ? ne(streams.status, 'ended') : eq(streams.status, 'ended'),
        ),
      )
      .orderBy(desc(streams.createdAt))
      .limit(1);
  const [[open], [ended]] = await Promise.all([newest(true), newest(false)]);
  const [stream, previous] = await Promise.all(
    [open, ended].map((row) => (row ? viewOf(deps, row, viewer) : null)),
  );
  return { stream: stream ?? null, previous: previous ?? null };
}

/**
 * The owner goes live (browser publishing). Starting a live stream again changes nothing. With no media server
 * answering, development goes live without video (the view's `media` says so, with what to start) and
 * production refuses, changing nothing. LiveKit is asked before the row is locked, never while holding it.
 */
export async function startStream(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<StreamView> {
  const media = await mediaStatus(deps);
  if (!media.videoAvailable && !deps.streams.liveWithoutMedia) {
    throw new DomainError('UNAVAILABLE', MEDIA_UNAVAILABLE);
  }
  const change = await deps.db.transaction(async (tx) => {
    const stream = await lockStream(tx, eq(streams.id, streamId));
    if (!stream) throw notFound('That stream');
    if (stream.streamerId !== viewer.id) throw forbidden('Only the streamer can start this stream.');
    if (stream.status === 'ended') {
      throw new DomainError('CONFLICT', 'This stream is over. Create a new one to go live again.');
    }
    return (await goLive(tx, stream, deps.clock.now())) ?? { stream };
  });
  await announce(deps, change);
  return loadStreamView(deps.db, change.stream, viewer, deps.clock.now(), media);
}

/** The owner, a moderator or an admin ends a live stream; its room and ingress are released after commit. */
export async function stopStream(
  deps: CoreDeps,
  viewer: NonNullable<Viewer>,
  streamId: string,
): Promise<StreamView> {
  const change = await deps.db.transaction(async (tx) => {
    const stream = await lockStream(tx, eq(streams.id, streamId));
    if (!stream) throw notFound('That stream');
    if (stream.streamerId !== viewer.id && !isStaff(viewer)) {
      throw forbidden('Only the streamer or a moderator can end this stream.');
    }
    if (stream.status === 'draft') throw new DomainError('CONFLICT', 'This stream has not gone live yet.');
    return (await endStream(tx, stream, deps.clock.now(), 'stopped')) ?? { stream };
  });
  await announce(deps, change);
  return viewOf(deps, change.stream, viewer);
}
