import { searchEverything, searchEverythingInput, searchStreams, searchStreamsInput } from '@app/core';
import type { ApiContext } from '../context.ts';
import { publicProcedure, router } from '../trpc.ts';

const viewerOf = (ctx: ApiContext) => ctx.auth?.user ?? null;

export const searchRouter = router({
  /** Anyone: live streams, categories and people matching the query, a few of each with their counts. */
  all: publicProcedure
    .input(searchEverythingInput)
    .query(({ ctx, input }) => searchEverything(ctx.deps, viewerOf(ctx), input)),

  /** Anyone: the next page of live streams matching the query (people page through `users.search`). */
  streams: publicProcedure
    .input(searchStreamsInput)
    .query(({ ctx, input }) => searchStreams(ctx.deps, viewerOf(ctx), input)),
});
