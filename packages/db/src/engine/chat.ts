import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import type { ChatEvent } from '../schema/chat.ts';
import { rowsOf } from './db-errors.ts';
import { type AnyEngineRefusal, refusalFrom } from './refusals.ts';
import { toJson, toNumber } from './values.ts';

/** One chat line to store; the field names are the keys `chat_post_many` reads from each element. */
export type ChatPost = {
  streamId: string;
  senderId: string;
  kind: 'chat' | 'tip';
  text: string;
  /** The sender's id for this line: a retried send with it returns the stored line instead of a second one. */
  clientMessageId?: string | null;
  /** Stored with the message; `tip` is copied into the payload, `anonymous: true` leaves the sender out. */
  metadata?: Record<string, unknown>;
};

/** A stored line's room event, as `chat_post` builds it and subscribers receive it. */
export type ChatMessagePayload = {
  type: 'chat.message';
  id: number;
  streamId: string;
  kind: 'chat' | 'tip';
  text: string;
  /** Null when the metadata said `anonymous`. */
  sender: {
    id: string;
    username: string;
    displayName: string;
    avatarUrl: string | null;
    /** `staff`: a platform moderator (on lines stored before `admin` existed, an admin too). */
    badges: ('streamer' | 'moderator' | 'admin' | 'staff')[];
  } | null;
  tip: { tipId: number; amountTokens: number } | null;
  /** ISO 8601, UTC, milliseconds. */
  createdAt: string;
};

/** What happened to one post of a batch. */
export type ChatPostOutcome =
  | {
      ok: true;
      eventId: number;
      messageId: number;
      payload: ChatMessagePayload;
      /** True when the client id was used before: the first line is returned, nothing new was stored. */
      replayed: boolean;
    }
  | { ok: false; refusal: AnyEngineRefusal }
  /** Another send with the same client id committed first: posting again returns that one (replayed). */
  | { ok: false; uniqueViolation: true }
  /** Anything else the database raised for this post (a bug, not a refusal); the other posts are unaffected. */
  | { ok: false; error: ChatPostError };

/** A post's error that is neither a refusal nor a lost client-id race, with its SQLSTATE for `sqlState()`. */
export class ChatPostError extends Error {
  readonly sqlState: string;
  readonly detail: string | null;

  constructor(sqlState: string, detail: string | null) {
    super(`chat post failed: ${sqlState}${detail ? ` ${detail}` : ''}`);
    this.name = 'ChatPostError';
    this.sqlState = sqlState;
    this.detail = detail;
  }
}

type ChatPostRow = {
  idx: number;
  eventId: unknown;
  payload: unknown;
  replayed: boolean | null;
  errorState: string | null;
  errorDetail: string | null;
};

const UNIQUE_VIOLATION = '23505';

function outcomeOf(row: ChatPostRow): ChatPostOutcome {
  if (!row.errorState) {
    const payload = toJson<ChatMessagePayload>(row.payload);
    return {
      ok: true,
      eventId: toNumber(row.eventId),
      messageId: toNumber(payload.id),
      payload,
      replayed: row.replayed === true,
    };
  }
  if (row.errorState === UNIQUE_VIOLATION) return { ok: false, uniqueViolation: true };
  const refusal = refusalFrom(row.errorState, row.errorDetail);
  return refusal
    ? { ok: false, refusal }
    : { ok: false, error: new ChatPostError(row.errorState, row.errorDetail) };
}

/**
 * Stores several chat lines of one room in one round trip, in order, each in its own subtransaction:
 * `packages/db/sql/chat/chat_post_many.sql` (each post is `packages/db/sql/chat/chat_post.sql`). One refused post
 * does not undo the others, so the outcomes come back per post, in the order of `posts`; only a failure of the
 * call itself is thrown. Refusals (the room's rule, `packages/db/sql/room/room_admit.sql`): STREAM_NOT_FOUND,
 * STREAMER_BANNED, NOT_LIVE (`detail.status`), USER_NOT_FOUND, ADULTS_ONLY, CHAT_BANNED (`detail.reason`),
 * CHAT_TIMED_OUT (`detail.until`, `detail.reason`), FOLLOWERS_ONLY, VERIFIED_ONLY, SLOW_MODE
 * (`detail.secondsLeft`), DUPLICATE (the same text again within `duplicateSeconds`).
 */
export async function chatPostMany(
  executor: Executor,
  posts: readonly ChatPost[],
  options: { now: Date; duplicateSeconds: number },
): Promise<ChatPostOutcome[]> {
  if (posts.length === 0) return [];
  const rows = rowsOf<ChatPostRow>(
    await executor.execute(sql`
      select idx, event_id as "eventId", payload, replayed, error_state as "errorState",
        error_detail as "errorDetail"
      from chat_post_many(${JSON.stringify(posts)}::text::jsonb, ${options.now.toISOString()}::timestamptz,
        ${options.duplicateSeconds}::integer)
      order by idx`),
  );
  const byIndex = new Map(rows.map((row) => [row.idx, row]));
  return posts.map((_, i) => {
    const row = byIndex.get(i + 1);
    if (!row) throw new Error(`chat_post_many returned no row for post ${i + 1} of ${posts.length}`);
    return outcomeOf(row);
  });
}

export type ChatEventInput = {
  streamId: string;
  kind: ChatEvent['kind'];
  /** The message the event is about. */
  messageId: number | null;
  /** The event exactly as subscribers receive it. */
  payload: Record<string, unknown>;
};

/**
 * Appends one event to a room's log and returns its id: `packages/db/sql/chat/chat_event_append.sql`. The room's
 * lock is held until `executor`'s transaction commits, so a room's ids grow in commit order; the later in the
 * transaction it runs, the shorter the room's other writers wait.
 */
export async function chatEventAppend(executor: Executor, input: ChatEventInput): Promise<number> {
  const [row] = rowsOf<{ id: unknown }>(
    await executor.execute(sql`
      select chat_event_append(${input.streamId}::uuid, ${input.kind}::chat_event_kind,
        ${input.messageId}::bigint, ${JSON.stringify(input.payload)}::text::jsonb) as id`),
  );
  if (!row) throw new Error('chat_event_append returned no row');
  return toNumber(row.id);
}

/**
 * Appends several events in one round trip and returns their ids, in the order of `inputs`: each is
 * `packages/db/sql/chat/chat_event_append.sql`, so the same room lock and ordering hold as for one.
 */
export async function chatEventAppendMany(
  executor: Executor,
  inputs: readonly ChatEventInput[],
): Promise<number[]> {
  if (inputs.length === 0) return [];
  const rows = rowsOf<{ index: unknown; id: unknown }>(
    await executor.execute(sql`
      select e.ord as index, chat_event_append((e.value->>'streamId')::uuid, (e.value->>'kind')::chat_event_kind,
        (e.value->>'messageId')::bigint, e.value->'payload') as id
      from jsonb_array_elements(${JSON.stringify(inputs)}::text::jsonb) with ordinality as e(value, ord)`),
  );
  const ids = new Array<number>(inputs.length);
  for (const row of rows) ids[toNumber(row.index) - 1] = toNumber(row.id);
  if (rows.length !== inputs.length) throw new Error('chat_event_append did not return one id per event');
  return ids;
}
