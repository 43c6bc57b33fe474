import { channelBans, messageReactions, messages, streamGoals, streams } from '@app/db/schema';
import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { rowsOf, sqlError } from '../db-errors.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { formatDuration } from '../kernel/duration.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import type { Limiter } from '../kernel/ports.ts';
import { gateFor, type Viewer } from '../streams/views.ts';
import type { ChatMessage, ChatSettingsEvent, StreamGoalView } from './events.ts';
import { CHAT_LIMITS, type ChatHistoryInput, type ReactInput, type SendChatInput } from './schemas.ts';

export type SentChat = { message: ChatMessage; eventId: number; replayed: boolean };

/** Refuses with the time left when `limiter` says no. */
export async function checkLimit(limiter: Limiter, key: string, message: (seconds: number) => string) {
  const result = await limiter.limit(key);
  if (!result.success) {
    throw new DomainError('RATE_LIMITED', message(result.retryAfterSeconds), {
      retryAfterSeconds: result.retryAfterSeconds,
      reason: 'RATE_LIMITED',
    });
  }
}

export { formatDuration } from '../kernel/duration.ts';

/**
 * Posts a chat line: rate limits first, then one database call checks bans, timeouts, chat mode, slow mode and
 * repeats, stores the message and appends its room event. Only then is it announced. A retry with the same
 * `clientMessageId` returns the stored message and announces nothing.
 */
export async function sendChat(deps: CoreDeps, senderId: string, input: SendChatInput): Promise<SentChat> {
  await checkLimit(
    deps.limiters.chatByUser,
    senderId,
    (seconds) => `You are sending messages too fast. Wait ${formatDuration(seconds)} and try again.`,
  );
  // After the user's limit: a user who is held back does not use up the room's allowance.
  await checkLimit(
    deps.limiters.chatByRoom,
    input.streamId,
    (seconds) => `This chat is very busy right now. Wait ${formatDuration(seconds)} and try again.`,
  );
  return postToRoom(deps, {
    streamId: input.streamId,
    senderId,
    kind: 'chat',
    text: input.text,
    clientMessageId: input.clientMessageId,
    metadata: {},
  });
}

/** A tip's line in chat, posted after the tip committed (the ledger is the record; this is the announcement). */
export async function postTipToChat(
  deps: CoreDeps,
  tip: {
    tipId: number;
    streamId: string;
    tipperId: string;
    amountTokens: number;
    note: string | null;
    anonymous: boolean;
  },
): Promise<SentChat> {
  const sent = await postToRoom(deps, {
    streamId: tip.streamId,
    senderId: tip.tipperId,
    kind: 'tip',
    text: tip.note ?? '',
    clientMessageId: `tip-${tip.tipId}`,
    metadata: { tip: { tipId: tip.tipId, amountTokens: tip.amountTokens }, anonymous: tip.anonymous },
  });
  if (!sent.replayed) await advanceGoal(deps, tip.streamId, tip.amountTokens);
  return sent;
}

type Post = {
  streamId: string;
  senderId: string;
  kind: 'chat' | 'tip';
  text: string;
  clientMessageId: string;
  metadata: Record<string, unknown>;
};

type Waiting = { post: Post; resolve: (sent: SentChat) => void; reject: (error: unknown) => void };

/** Posts waiting for their room's turn, per database and room. */
const roomQueues = new WeakMap<object, Map<string, Waiting[]>>();
/**
 * At most this many posts of a room go to the database in one call. Each post is a subtransaction, and
 * visibility checks inside a transaction slow down as its subtransactions add up: measured here, 10 posts per
 * call stored ~6,900 posts/s, 50 per call only ~3,500.
 */
const BATCH_MAX = 10;

/**
 * Stores a chat line and announces it. A room's posts from this process go to the database in turn, and those
 * that arrived meanwhile go together in one call (`chat_post_many`): the database serializes a room's posts
 * anyway (a per-room lock keeps its event ids in commit order), so a busy room costs one round trip per batch
 * rather than per message, with no queue of connections waiting on that lock. Announcements follow the order in
 * which the posts were stored.
 */
function postToRoom(deps: CoreDeps, post: Post): Promise<SentChat> {
  let queues = roomQueues.get(deps.db);
  if (!queues) {
    queues = new Map();
    roomQueues.set(deps.db, queues);
  }
  const rooms = queues;
  return new Promise<SentChat>((resolve, reject) => {
    const queue = rooms.get(post.streamId);
    if (queue) {
      queue.push({ post, resolve, reject });
      return;
    }
    const fresh: Waiting[] = [{ post, resolve, reject }];
    rooms.set(post.streamId, fresh);
    void drainRoom(deps, rooms, post.streamId, fresh);
  });
}

async function drainRoom(deps: CoreDeps, rooms: Map<string, Waiting[]>, streamId: string, queue: Waiting[]) {
  while (queue.length > 0) {
    const batch = queue.splice(0, BATCH_MAX);
    try {
      await storeBatch(deps, batch);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
  rooms.delete(streamId);
}

type PostRow = {
  idx: number;
  eventId: number | null;
  payload: ChatMessage | string | null;
  replayed: boolean | null;
  errorState: string | null;
  errorDetail: string | null;
  errorHint: string | null;
};

async function storeBatch(deps: CoreDeps, batch: Waiting[], retry = true) {
  const now = deps.clock.now();
  const rows = rowsOf<PostRow>(
    await deps.db.execute(sql`
      select idx, event_id::int as "eventId", payload, replayed, error_state as "errorState",
        error_detail as "errorDetail", error_hint as "errorHint"
      from chat_post_many(${JSON.stringify(batch.map((waiting) => waiting.post))}::text::jsonb,
        ${now.toISOString()}::timestamptz, ${CHAT_LIMITS.duplicateSeconds}::integer)
      order by idx`),
  );
  const retries: Waiting[] = [];
  for (const [i, waiting] of batch.entries()) {
    const row = rows[i];
    if (!row) {
      waiting.reject(new Error('chat_post_many returned fewer rows than posts'));
      continue;
    }
    if (row.errorState) {
      // Two sends with one client id at once from two processes: the loser finds the winner's message.
      if (row.errorState === '23505' && retry) retries.push(waiting);
      else {
        const failure = { code: row.errorState, detail: row.errorDetail, hint: row.errorHint };
        const refusal = chatRefusal(failure, now);
        waiting.reject(
          refusal === failure
            ? new Error(`chat post failed: ${row.errorState} ${row.errorDetail ?? ''}`)
            : refusal,
        );
      }
      continue;
    }
    const message = parsePayload<ChatMessage>(row.payload!);
    const sent: SentChat = { message, eventId: row.eventId!, replayed: row.replayed! };
    // Started in order; not awaited here, so the next batch need not wait for Redis.
    const published = sent.replayed
      ? Promise.resolve()
      : deps.bus.publish(`stream:${message.streamId}`, { ...message, eventId: sent.eventId });
    published.then(
      () => waiting.resolve(sent),
      (error) => waiting.reject(error),
    );
  }
  if (retries.length > 0) await storeBatch(deps, retries, false);
}

/** jsonb comes back parsed from postgres.js and PGlite, as text from some drivers. */
function parsePayload<T>(payload: T | string): T {
  return typeof payload === 'string' ? (JSON.parse(payload) as T) : payload;
}

/** The database's refusals (SQLSTATE class LU) as sentences with the reason and the time left. */
function chatRefusal(error: unknown, now: Date): unknown {
  const failure = sqlError(error);
  switch (failure?.state) {
    case 'LU404':
      return notFound('That stream');
    case 'LU400':
      return new DomainError(
        'CONFLICT',
        failure.detail === 'ended'
          ? 'This stream has ended; its chat is closed.'
          : 'This stream is not live yet; chat opens when it goes live.',
        { reason: 'NOT_LIVE' },
      );
    case 'LU403': {
      if (failure.detail === 'banned') {
        const reason = failure.hint ? ` Reason: ${failure.hint}` : '';
        return new DomainError('FORBIDDEN', `You are banned from this chat.${reason}`, {
          reason: 'BANNED_FROM_CHAT',
        });
      }
      if (failure.detail === 'timeout') {
        const [until = '', ...why] = (failure.hint ?? '').split(' ');
        const left = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
        const reason = why.join(' ').trim();
        return new DomainError(
          'FORBIDDEN',
          `You are timed out in this chat for ${formatDuration(left)} more.${reason ? ` Reason: ${reason}` : ''}`,
          { retryAfterSeconds: left, reason: 'TIMED_OUT' },
        );
      }
      if (failure.detail === 'followers') {
        return new DomainError('FORBIDDEN', 'This chat is for followers only. Follow the streamer to chat.', {
          reason: 'FOLLOWERS_ONLY',
        });
      }
      return new DomainError(
        'FORBIDDEN',
        'This chat is for verified accounts only. Verify your age to chat.',
        {
          reason: 'VERIFIED_ONLY',
        },
      );
    }
    case 'LU429': {
      const left = Math.max(1, Number(failure.detail) || 1);
      return new DomainError(
        'RATE_LIMITED',
        `Slow mode is on: you can send your next message in ${formatDuration(left)}.`,
        { retryAfterSeconds: left, reason: 'SLOW_MODE' },
      );
    }
    case 'LU409':
      return new DomainError('CONFLICT', 'You just sent that. Say something new.', { reason: 'DUPLICATE' });
    default:
      return error;
  }
}

/** Who may read a room's chat: anyone who may see the stream (drafts only their owner; adult streams gated). */
export async function readableStream(deps: CoreDeps, viewer: Viewer, streamId: string) {
  const [stream] = await deps.db
    .select({
      id: streams.id,
      streamerId: streams.streamerId,
      status: streams.status,
      nsfw: streams.nsfw,
      settings: streams.settings,
      startedAt: streams.startedAt,
      endedAt: streams.endedAt,
      endedReason: streams.endedReason,
    })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream || (stream.status === 'draft' && stream.streamerId !== viewer?.id))
    throw notFound('That stream');
  const gate = gateFor(viewer, stream.nsfw);
  if (gate === 'sign_in')
    throw forbidden('This stream is for adults. Sign in and verify your age to see its chat.');
  if (gate === 'verify_age') throw forbidden('This stream is for adults. Verify your age to see its chat.');
  if (viewer) {
    const [ban] = await deps.db
      .select({ userId: channelBans.userId })
      .from(channelBans)
      .where(
        and(
          eq(channelBans.channelId, stream.streamerId),
          eq(channelBans.userId, viewer.id),
          isNull(channelBans.expiresAt),
        ),
      );
    if (ban) throw forbidden('The streamer has banned you from their channel.');
  }
  return stream;
}

export function settingsEvent(
  streamId: string,
  settings: { chatMode?: string; slowModeSeconds?: number; linksAllowed?: boolean },
): ChatSettingsEvent {
  return {
    type: 'chat.settings',
    streamId,
    chatMode: (settings.chatMode ?? 'everyone') as ChatSettingsEvent['chatMode'],
    slowModeSeconds: settings.slowModeSeconds ?? 0,
    linksAllowed: settings.linksAllowed ?? false,
  };
}

export type ChatHistory = {
  /** Oldest first. */
  items: ChatMessage[];
  /** Pass as `cursor` for older messages; null at the beginning. */
  nextCursor: number | null;
  /** Subscribe with this as `lastEventId` to get everything after this page, with nothing missed. */
  lastEventId: string | null;
  settings: ChatSettingsEvent;
  /** The channel (its streamer's user id). */
  channelId: string;
};

/** A page of a room's chat, newest page first, deleted messages left out, with reaction counts. */
export async function chatHistory(
  deps: CoreDeps,
  viewer: Viewer,
  input: ChatHistoryInput,
): Promise<ChatHistory> {
  const stream = await readableStream(deps, viewer, input.streamId);
  // Read before the page: an event committed in between is then both in the page and replayed (clients drop
  // the repeat by message id) rather than in neither.
  const last = await latestRoomEventId(deps, input.streamId);
  const rows = rowsOf<{ messageId: number; payload: ChatMessage | string }>(
    await deps.db.execute(sql`
      select e.message_id::int as "messageId", e.payload
      from chat_events e join messages m on m.id = e.message_id
      where e.stream_id = ${input.streamId}::uuid and e.kind = 'message' and m.deleted_at is null
        ${input.cursor ? sql`and e.message_id < ${input.cursor}` : sql``}
      order by e.id desc
      limit ${input.limit + 1}`),
  );
  const page = rows.slice(0, input.limit);
  const items = await withReactions(
    deps,
    page.map((row) => parsePayload<ChatMessage>(row.payload)).reverse(),
  );
  return {
    items,
    nextCursor: rows.length > input.limit ? (page.at(-1)?.messageId ?? null) : null,
    lastEventId: last > 0 ? String(last) : null,
    settings: settingsEvent(stream.id, stream.settings),
    channelId: stream.streamerId,
  };
}

async function withReactions(deps: CoreDeps, items: ChatMessage[]): Promise<ChatMessage[]> {
  if (items.length === 0) return items;
  const counts = await deps.db
    .select({
      messageId: messageReactions.messageId,
      emoji: messageReactions.emoji,
      count: sql<number>`count(*)::int`,
    })
    .from(messageReactions)
    .where(
      inArray(
        messageReactions.messageId,
        items.map((item) => item.id),
      ),
    )
    .groupBy(messageReactions.messageId, messageReactions.emoji);
  const byMessage = new Map<number, Record<string, number>>();
  for (const row of counts) {
    const entry = byMessage.get(row.messageId) ?? {};
    entry[row.emoji] = row.count;
    byMessage.set(row.messageId, entry);
  }
  return items.map((item) => ({ ...item, reactions: byMessage.get(item.id) ?? {} }));
}

export type ReplayedEvent = { eventId: number; event: Record<string, unknown> & { type: string } };

/**
 * A room's stored events after `afterEventId`, oldest first, for a subscription that resumes. Messages deleted
 * since are left out (their delete event follows). More than `CHAT_LIMITS.replayMax` gives `tooFar`: the client
 * reloads the history instead.
 */
export async function replayRoomEvents(
  deps: CoreDeps,
  streamId: string,
  afterEventId: number,
): Promise<{ events: ReplayedEvent[]; tooFar: boolean }> {
  const rows = rowsOf<{ eventId: number; payload: Record<string, unknown> | string; deleted: boolean }>(
    await deps.db.execute(sql`
      select e.id::int as "eventId", e.payload, (m.deleted_at is not null) as deleted
      from chat_events e left join messages m on e.kind = 'message' and m.id = e.message_id
      where e.stream_id = ${streamId}::uuid and e.id > ${afterEventId}
      order by e.id
      limit ${CHAT_LIMITS.replayMax + 1}`),
  );
  if (rows.length > CHAT_LIMITS.replayMax) return { events: [], tooFar: true };
  const events: ReplayedEvent[] = [];
  for (const row of rows) {
    if (row.deleted) continue;
    events.push({ eventId: row.eventId, event: parsePayload(row.payload) as ReplayedEvent['event'] });
  }
  return { events, tooFar: false };
}

/** The newest event id of a room, or 0. */
export async function latestRoomEventId(deps: CoreDeps, streamId: string): Promise<number> {
  const [row] = rowsOf<{ id: number | null }>(
    await deps.db.execute(
      sql`select max(id)::int as id from chat_events where stream_id = ${streamId}::uuid`,
    ),
  );
  return row?.id ?? 0;
}

/**
 * Adds the caller's reaction to a message, or takes it back when it is already there. Users banned or timed out
 * in the room cannot react.
 */
export async function reactToMessage(
  deps: CoreDeps,
  userId: string,
  input: ReactInput,
): Promise<{ messageId: number; emoji: string; count: number; reacted: boolean }> {
  await checkLimit(
    deps.limiters.reactByUser,
    userId,
    (seconds) => `You are reacting too fast. Wait ${formatDuration(seconds)}.`,
  );
  const [target] = await deps.db
    .select({ streamId: messages.streamId, streamerId: streams.streamerId, status: streams.status })
    .from(messages)
    .innerJoin(streams, eq(streams.id, messages.streamId))
    .where(
      and(
        eq(messages.id, input.messageId),
        isNull(messages.deletedAt),
        or(eq(messages.kind, 'chat'), eq(messages.kind, 'tip')),
      ),
    );
  if (!target) throw notFound('That message');
  if (target.status !== 'live') {
    throw new DomainError('CONFLICT', 'This stream has ended; its chat is closed.', { reason: 'NOT_LIVE' });
  }
  const now = deps.clock.now();
  const [restricted] = await deps.db
    .select({ expiresAt: channelBans.expiresAt })
    .from(channelBans)
    .where(
      and(
        eq(channelBans.channelId, target.streamerId),
        eq(channelBans.userId, userId),
        or(isNull(channelBans.expiresAt), gt(channelBans.expiresAt, now)),
      ),
    );
  if (restricted) {
    throw forbidden(
      restricted.expiresAt
        ? `You are timed out in this chat for ${formatDuration((restricted.expiresAt.getTime() - now.getTime()) / 1000)} more.`
        : 'You are banned from this chat.',
    );
  }
  const streamId = target.streamId!;
  const outcome = await deps.db.transaction(async (tx) => {
    const added = await tx
      .insert(messageReactions)
      .values({ messageId: input.messageId, userId, emoji: input.emoji })
      .onConflictDoNothing()
      .returning({ messageId: messageReactions.messageId });
    if (added.length === 0) {
      await tx
        .delete(messageReactions)
        .where(
          and(
            eq(messageReactions.messageId, input.messageId),
            eq(messageReactions.userId, userId),
            eq(messageReactions.emoji, input.emoji),
          ),
        );
    }
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(messageReactions)
      .where(and(eq(messageReactions.messageId, input.messageId), eq(messageReactions.emoji, input.emoji)));
    const payload = {
      type: 'chat.reaction',
      streamId,
      messageId: input.messageId,
      emoji: input.emoji,
      count,
    };
    const [row] = rowsOf<{ id: number }>(
      await tx.execute(
        sql`select chat_event_append(${streamId}::uuid, 'reaction', ${input.messageId}::bigint, ${JSON.stringify(payload)}::text::jsonb)::int as id`,
      ),
    );
    return { payload, eventId: row!.id, reacted: added.length > 0 };
  });
  await deps.bus.publish(`stream:${streamId}`, { ...outcome.payload, eventId: outcome.eventId });
  return {
    messageId: input.messageId,
    emoji: input.emoji,
    count: outcome.payload.count,
    reacted: outcome.reacted,
  };
}

/** The stream's newest goal, or null. */
export async function currentGoal(deps: CoreDeps, streamId: string): Promise<StreamGoalView | null> {
  const [goal] = await deps.db
    .select()
    .from(streamGoals)
    .where(eq(streamGoals.streamId, streamId))
    .orderBy(desc(streamGoals.createdAt))
    .limit(1);
  return goal ? goalView(goal) : null;
}

function goalView(goal: typeof streamGoals.$inferSelect): StreamGoalView {
  return {
    id: goal.id,
    title: goal.title,
    targetTokens: goal.targetTokens,
    progressTokens: goal.progressTokens,
    reachedAt: goal.reachedAt?.toISOString() ?? null,
  };
}

/** A tip counts toward the stream's newest goal that is not reached yet; viewers see the bar move. */
async function advanceGoal(deps: CoreDeps, streamId: string, amountTokens: number): Promise<void> {
  const now = deps.clock.now();
  const [goal] = await deps.db
    .update(streamGoals)
    .set({
      progressTokens: sql`${streamGoals.progressTokens} + ${amountTokens}`,
      reachedAt: sql`case when ${streamGoals.progressTokens} + ${amountTokens} >= ${streamGoals.targetTokens} then ${now.toISOString()}::timestamptz end`,
    })
    .where(
      and(
        eq(
          streamGoals.id,
          sql`(select id from stream_goals where stream_id = ${streamId}::uuid and reached_at is null order by created_at desc limit 1)`,
        ),
        isNull(streamGoals.reachedAt),
      ),
    )
    .returning();
  if (goal)
    await deps.bus.publish(`stream:${streamId}`, { type: 'stream.goal', streamId, goal: goalView(goal) });
}
