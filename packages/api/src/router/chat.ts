import {
  type ChatHistory,
  channelPower,
  chatHistoryInput,
  conversations,
  markWhispersRead,
  moderatorInput,
  onStreamInput,
  openRoomFeed,
  type RoomFeed,
  reactInput,
  reactToMessage,
  roomChatHistory,
  type StreamEvent,
  sendChatInput,
  sendRoomChat,
  sendWhisper,
  threadInput,
  userFeed,
  whisperInput,
  whisperThread,
} from '@app/core';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

/**
 * `chat.onStream`'s result: batches of the room's events as tracked envelopes (resumable with `lastEventId`). The
 * websocket server recognises it and serves a room's viewers from one serialized frame per batch.
 */
export class StreamSubscription implements AsyncIterable<TrackedEnvelope<StreamEvent[]>> {
  constructor(
    readonly feed: RoomFeed,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<TrackedEnvelope<StreamEvent[]>> {
    for await (const item of this.feed.iterate(this.signal)) yield tracked(item.id, item.events);
  }
}

export const chatRouter = router({
  /** Signed-in users: a chat line in a live stream (up to 500 characters; a retry with the same id is stored once). */
  send: authedProcedure
    .input(sendChatInput)
    .mutation(({ ctx, input }) => sendRoomChat(ctx.deps, ctx.user.id, input)),

  /** Anyone who may see the stream: a page of its chat (oldest first), the event id to subscribe after, settings. */
  history: publicProcedure
    .input(chatHistoryInput)
    .query(async ({ ctx, input }): Promise<ChatHistory & { canModerate: boolean }> => {
      const viewer = ctx.auth?.user ?? null;
      const history = await roomChatHistory(ctx.deps, viewer, input);
      const canModerate = viewer ? (await channelPower(ctx.deps, viewer, history.channelId)) !== null : false;
      return { ...history, canModerate };
    }),

  /** Signed-in users: toggle a reaction on a message. */
  react: authedProcedure
    .input(reactInput)
    .mutation(({ ctx, input }) => reactToMessage(ctx.deps, ctx.user.id, input)),

  /**
   * Anyone who may see the stream: its chat, tips, reactions, deletions, viewer count, state and goal, live, in
   * batches (each item's `data` is an array of events, in order). The first batch is the arrival snapshot
   * (state, settings, viewers, goal) plus, after `lastEventId` (sent by the client on reconnect), what was missed.
   */
  onStream: publicProcedure.input(onStreamInput).subscription(async ({ ctx, input, signal }) => {
    const feed = await openRoomFeed(ctx.deps, ctx.auth?.user ?? null, input);
    return new StreamSubscription(feed, signal);
  }),

  /** Signed-in users: a private message to another user. */
  whisper: authedProcedure
    .input(whisperInput)
    .mutation(({ ctx, input }) => sendWhisper(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: their whisper inbox with unread counts. */
  conversations: authedProcedure.query(({ ctx }) => conversations(ctx.deps, ctx.user.id)),

  /** Signed-in users: one conversation, a page at a time. */
  thread: authedProcedure
    .input(threadInput)
    .query(({ ctx, input }) => whisperThread(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: mark a conversation read. */
  markRead: authedProcedure
    .input(moderatorInput)
    .mutation(({ ctx, input }) => markWhispersRead(ctx.deps, ctx.user.id, input.userId)),

  /** Signed-in users: whispers, notifications, balance and earnings changes, live. */
  onUser: authedProcedure.subscription(({ ctx, signal }) =>
    userFeed(ctx.deps, ctx.user.id, ctx.auth.session.id, signal),
  ),
});
