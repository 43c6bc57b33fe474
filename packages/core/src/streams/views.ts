import type { Executor } from '@app/db/client';
import { categories, type Stream, type StreamSettings, streams, userFollows, users } from '@app/db/schema';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { RegionRef } from '../identity/user-views.ts';
import type { Viewer } from '../kernel/viewer.ts';
import type { StreamMedia } from './media-status.ts';
import { regionTreeCache } from './region-cache.ts';

/**
 * Why the viewer may not watch an NSFW stream yet: `sign_in` (a visitor) or `verify_age` (signed in, not
 * age-verified). Null when nothing stands in the way.
 */
export type StreamGate = 'sign_in' | 'verify_age' | null;

export type StreamStreamer = { id: string; username: string; displayName: string; avatarUrl: string | null };
export type StreamCategory = { id: number; slug: string; name: string };

/**
 * A tile in a grid of streams. A gated NSFW tile says only who streams and that it is for adults: no title,
 * thumbnail or tags until the viewer may watch.
 */
export type StreamCard = {
  id: string;
  title: string;
  status: Stream['status'];
  thumbnailUrl: string | null;
  streamer: StreamStreamer;
  category: StreamCategory | null;
  region: RegionRef | null;
  tags: string[];
  nsfw: boolean;
  language: string;
  currentViewers: number;
  peakViewers: number;
  totalViews: number;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  gate: StreamGate;
};

/** The stream page's view: a card plus its description, settings and the viewer's relation to it. */
export type StreamView = StreamCard & {
  description: string;
  settings: StreamSettings;
  /** `browser` (published with livekit-client), or the OBS ingress kind. */
  source: 'browser' | 'rtmp' | 'whip';
  endedReason: Stream['endedReason'];
  createdAt: Date;
  isOwner: boolean;
  followsStreamer: boolean;
  /** Whether video can flow now; without a media server the stream is still live for chat, tips and goals. */
  media: StreamMedia;
  /** For an ended stream, the streamer's live stream now (null when they are not live): where its page leads. */
  liveNowId: string | null;
};

export function gateFor(viewer: Viewer, nsfw: boolean): StreamGate {
  if (!nsfw) return null;
  if (!viewer) return 'sign_in';
  return viewer.ageVerifiedAt ? null : 'verify_age';
}

export function durationSeconds(stream: Pick<Stream, 'startedAt' | 'endedAt'>, now: Date): number | null {
  if (!stream.startedAt) return null;
  const end = stream.endedAt ?? now;
  return Math.max(0, Math.round((end.getTime() - stream.startedAt.getTime()) / 1000));
}

/** The columns a card needs, streamer and category joined in: browsing is one query. */
export const streamCardColumns = {
  id: streams.id,
  title: streams.title,
  status: streams.status,
  thumbnailUrl: streams.thumbnailUrl,
  tags: streams.tags,
  nsfw: streams.nsfw,
  language: streams.language,
  currentViewers: streams.currentViewers,
  peakViewers: streams.peakViewers,
  totalViews: streams.totalViews,
  startedAt: streams.startedAt,
  endedAt: streams.endedAt,
  regionId: streams.regionId,
  streamerId: users.id,
  streamerUsername: users.username,
  streamerDisplayName: users.displayName,
  streamerAvatarUrl: users.avatarUrl,
  categoryId: categories.id,
  categorySlug: categories.slug,
  categoryName: categories.name,
};

/** Streams with their streamer (never a banned one) and category, ready for `toCards`; `key` is a page's sort key. */
export function streamCardQuery(db: Executor, key: SQL<string | number | null> = sql<null>`null`) {
  return db
    .select({ ...streamCardColumns, key })
    .from(streams)
    .innerJoin(users, and(eq(users.id, streams.streamerId), isNull(users.bannedAt)))
    .leftJoin(categories, eq(categories.id, streams.categoryId));
}

export type StreamCardRow = {
  [K in keyof typeof streamCardColumns]: (typeof streamCardColumns)[K]['_']['data'] | null;
};

export async function toCards(
  db: Executor,
  rows: StreamCardRow[],
  viewer: Viewer,
  now: Date,
): Promise<StreamCard[]> {
  if (rows.length === 0) return [];
  const { refs } = await regionTreeCache(db);
  return rows.map((row) => {
    const gate = gateFor(viewer, row.nsfw!);
    return {
      id: row.id!,
      title: gate ? '' : row.title!,
      status: row.status!,
      thumbnailUrl: gate ? null : row.thumbnailUrl,
      streamer: {
        id: row.streamerId!,
        username: row.streamerUsername!,
        displayName: row.streamerDisplayName!,
        avatarUrl: row.streamerAvatarUrl,
      },
      category: row.categoryId
        ? { id: row.categoryId, slug: row.categorySlug!, name: row.categoryName! }
        : null,
      region: row.regionId ? (refs.get(row.regionId) ?? null) : null,
      tags: gate ? [] : row.tags!,
      nsfw: row.nsfw!,
      language: row.language!,
      currentViewers: row.currentViewers!,
      peakViewers: row.peakViewers!,
      totalViews: row.totalViews!,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      durationSeconds: durationSeconds({ startedAt: row.startedAt, endedAt: row.endedAt }, now),
      gate,
    };
  });
}

export async function loadStreamView(
  db: Executor,
  row: Stream,
  viewer: Viewer,
  now: Date,
  media: StreamMedia,
): Promise<StreamView> {
  const [[card], follows, liveNow] = await Promise.all([
    streamCardQuery(db)
      .where(eq(streams.id, row.id))
      .then((rows) => toCards(db, rows, viewer, now)),
    viewer
      ? db
          .select({ followerId: userFollows.followerId })
          .from(userFollows)
          .where(and(eq(userFollows.followerId, viewer.id), eq(userFollows.followeeId, row.streamerId)))
      : Promise.resolve([]),
    row.status === 'ended' ? liveStreamOf(db, row.streamerId) : Promise.resolve(null),
  ]);
  return {
    ...card!,
    // Nothing of a gated NSFW stream beyond who streams it.
    description: card!.gate ? '' : row.description,
    settings: row.settings,
    source: row.ingressKind ?? 'browser',
    endedReason: row.endedReason,
    createdAt: row.createdAt,
    isOwner: viewer?.id === row.streamerId,
    followsStreamer: follows.length > 0,
    media,
    liveNowId: liveNow,
  };
}

/** The streamer's live stream, if they are on air (one open stream per streamer: `streams_streamer_id_open_key`). */
async function liveStreamOf(db: Executor, streamerId: string): Promise<string | null> {
  const [live] = await db
    .select({ id: streams.id })
    .from(streams)
    .where(and(eq(streams.streamerId, streamerId), sql`${streams.status} = 'live'`));
  return live?.id ?? null;
}
