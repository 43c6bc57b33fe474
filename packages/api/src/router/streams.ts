import {
  createIngressInput,
  createStream,
  createStreamIngress,
  createStreamInput,
  currentStreams,
  featuredStreams,
  featuredStreamsInput,
  getStreamIngress,
  hostToken,
  liveStreams,
  liveStreamsInput,
  resetStreamIngress,
  startStream,
  stopStream,
  streamById,
  streamIdInput,
  updateStream,
  updateStreamInput,
  viewerToken,
} from '@app/core';
import type { ApiContext } from '../context.ts';
import { authedProcedure, publicProcedure, router, streamerProcedure } from '../trpc.ts';

const viewerOf = (ctx: ApiContext) => ctx.auth?.user ?? null;

const ingressRouter = router({
  /** The stream's owner: an RTMP or WHIP ingress with a quality preset; returns the URL and stream key. */
  create: streamerProcedure
    .input(createIngressInput)
    .mutation(({ ctx, input }) => createStreamIngress(ctx.deps, ctx.user, input)),

  /** The stream's owner: deletes the ingress (the old key stops working) and makes a new one. */
  reset: streamerProcedure
    .input(streamIdInput)
    .mutation(({ ctx, input }) => resetStreamIngress(ctx.deps, ctx.user, input.streamId)),

  /** The stream's owner: the URL and stream key, or null before one was created. */
  get: streamerProcedure
    .input(streamIdInput)
    .query(({ ctx, input }) => getStreamIngress(ctx.deps, ctx.user, input.streamId)),
});

export const streamsRouter = router({
  /** Streamers and admins: a new draft (one stream that is not over per streamer). */
  create: streamerProcedure
    .input(createStreamInput)
    .mutation(({ ctx, input }) => createStream(ctx.deps, ctx.user.id, input)),

  /** The stream's owner, while it is not over. */
  update: streamerProcedure
    .input(updateStreamInput)
    .mutation(({ ctx, input }) => updateStream(ctx.deps, ctx.user, input)),

  /** Streamers and admins: their stream that is not over (or null) and their newest ended one, for the studio. */
  current: streamerProcedure.query(({ ctx }) => currentStreams(ctx.deps, ctx.user)),

  /** Anyone: live and ended streams; drafts only for their owner. NSFW details are gated. */
  byId: publicProcedure
    .input(streamIdInput)
    .query(({ ctx, input }) => streamById(ctx.deps, viewerOf(ctx), input.streamId)),

  /** Anyone: live streams by category / region / NSFW, sorted by viewers, newest or trending, keyset pages. */
  live: publicProcedure
    .meta({ sharedWithVisitors: ['streams'] })
    .input(liveStreamsInput)
    .query(({ ctx, input }) => liveStreams(ctx.deps, viewerOf(ctx), input)),

  /** Anyone: the most trending live streams the viewer may see, for the home page. */
  featured: publicProcedure
    .meta({ sharedWithVisitors: ['streams'] })
    .input(featuredStreamsInput)
    .query(({ ctx, input }) => featuredStreams(ctx.deps, viewerOf(ctx), input)),

  /** The stream's owner: goes live (browser publishing). */
  start: streamerProcedure
    .input(streamIdInput)
    .mutation(({ ctx, input }) => startStream(ctx.deps, ctx.user, input.streamId)),

  /** The stream's owner, moderators and admins: ends a live stream. */
  stop: authedProcedure
    .input(streamIdInput)
    .mutation(({ ctx, input }) => stopStream(ctx.deps, ctx.user, input.streamId)),

  /** The stream's owner: a LiveKit token that may publish to the stream's room. */
  hostToken: streamerProcedure
    .input(streamIdInput)
    .mutation(({ ctx, input }) => hostToken(ctx.deps, ctx.user, input.streamId)),

  /** Anyone allowed to watch: a subscribe-only LiveKit token (NSFW: age-verified viewers only). */
  viewerToken: publicProcedure
    .input(streamIdInput)
    .mutation(({ ctx, input }) => viewerToken(ctx.deps, viewerOf(ctx), input.streamId)),

  ingress: ingressRouter,
});
