import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rowsOf } from './db-errors.ts';
import { type AnyEngineRefusal, refusalFrom, refusing } from './refusals.ts';
import { toDate, toNumber, toNumberOrNull } from './values.ts';

export type SendTipInput = {
  /** The ledger's idempotency key, already scoped to the tipper (`tip:{userId}:{key}`). */
  idempotencyKey: string;
  /** SHA-256 (hex) of the tip as asked for: the same key with another tip is refused. */
  requestHash: string;
  streamId: string;
  fromUserId: string;
  /** The tipper's wallet account (one balance row). */
  walletAccountId: number;
  /** The streamer's earnings account and its `shard_count`. */
  earningsAccountId: number;
  earningsShardCount: number;
  amountTokens: number;
  note: string | null;
  anonymous: boolean;
  /** The moment the room's rules are checked at (timeouts, slow mode). */
  now: Date;
  /** A note repeating the tipper's last line within this many seconds is refused, as in chat. */
  duplicateSeconds: number;
};

export type SentTip = {
  tipId: number;
  createdAt: Date;
  /** True when the key was used before with the same tip: the first tip is returned and nothing moved. */
  replayed: boolean;
  /** The tipper's wallet after the tip; null on a replay. */
  walletBalance: number | null;
  /** The streamer. */
  toUserId: string;
  /** The tipper's names, for the announcement; null on a replay. */
  fromUsername: string | null;
  fromDisplayName: string | null;
};

type SendTipRow = {
  tipId: unknown;
  createdAt: unknown;
  replayed: boolean;
  walletBalance: unknown;
  toUserId: string;
  fromUsername: string | null;
  fromDisplayName: string | null;
};

/**
 * One tip, whole (checks, ledger posting, tip row): `packages/db/sql/tips/send_tip.sql`. It commits on its own
 * when `executor` is the database. Every check runs before the money moves. Refuses with OWN_STREAM, the room's
 * refusals (`packages/db/sql/room/room_admit.sql`: STREAM_NOT_FOUND, STREAMER_BANNED, NOT_LIVE (`detail.status`),
 * ADULTS_ONLY, CHAT_BANNED, CHAT_TIMED_OUT, and for a note FOLLOWERS_ONLY, VERIFIED_ONLY, SLOW_MODE, DUPLICATE),
 * WALLET_FROZEN, SPENDING_LIMIT (the tipper's own limits: `tips/spending_limit_check.sql`), INSUFFICIENT_FUNDS
 * (`detail.available`) or IDEMPOTENCY_CONFLICT; deadlocks and serialization
 * failures pass through with their SQLSTATE, for the caller to retry.
 */
export async function sendTip(executor: Executor, input: SendTipInput): Promise<SentTip> {
  const [row] = await refusing(async () =>
    rowsOf<SendTipRow>(
      await executor.execute(sql`
        select tip_id as "tipId", created_at as "createdAt", replayed, wallet_balance as "walletBalance",
          to_user_id as "toUserId", from_username as "fromUsername", from_display_name as "fromDisplayName"
        from send_tip(${input.idempotencyKey}, ${input.requestHash}, ${input.streamId}::uuid,
          ${input.fromUserId}::uuid, ${input.walletAccountId}::bigint, ${input.earningsAccountId}::bigint,
          ${input.earningsShardCount}::integer, ${input.amountTokens}::bigint, ${input.note}, ${input.anonymous},
          ${input.now.toISOString()}::timestamptz, ${input.duplicateSeconds}::integer)`),
    ),
  );
  if (!row) throw new Error('send_tip returned no row');
  return {
    tipId: toNumber(row.tipId),
    createdAt: toDate(row.createdAt),
    replayed: row.replayed,
    walletBalance: toNumberOrNull(row.walletBalance),
    toUserId: row.toUserId,
    fromUsername: row.fromUsername,
    fromDisplayName: row.fromDisplayName,
  };
}

/** One tip of a batch: as for `sendTip`, with the moment its room's rules are checked at. */
export type SendTipManyItem = Omit<SendTipInput, 'duplicateSeconds'>;

/** What happened to one tip of a batch. */
export type SendTipOutcome =
  | { ok: true; sent: SentTip }
  | { ok: false; refusal: AnyEngineRefusal }
  /** Anything else the database raised for this tip (a deadlock to retry, or a bug); the others are unaffected. */
  | { ok: false; error: TipPostError };

/** A tip's error that is not a refusal, with its SQLSTATE where `sqlState()` finds it (40P01: try again). */
export class TipPostError extends Error {
  readonly sqlState: string;
  readonly detail: string | null;

  constructor(sqlState: string, detail: string | null) {
    super(`tip failed: ${sqlState}${detail ? ` ${detail}` : ''}`);
    this.name = 'TipPostError';
    this.sqlState = sqlState;
    this.detail = detail;
  }
}

type SendTipManyRow = Omit<SendTipRow, 'replayed' | 'toUserId'> & {
  idx: number;
  replayed: boolean | null;
  toUserId: string | null;
  errorState: string | null;
  errorDetail: string | null;
};

function tipOutcomeOf(row: SendTipManyRow): SendTipOutcome {
  if (row.errorState) {
    const refusal = refusalFrom(row.errorState, row.errorDetail);
    return refusal
      ? { ok: false, refusal }
      : { ok: false, error: new TipPostError(row.errorState, row.errorDetail) };
  }
  if (!row.toUserId) throw new Error(`send_tip_many returned no tip for tip ${row.idx}`);
  return {
    ok: true,
    sent: {
      tipId: toNumber(row.tipId),
      createdAt: toDate(row.createdAt),
      replayed: row.replayed === true,
      walletBalance: toNumberOrNull(row.walletBalance),
      toUserId: row.toUserId,
      fromUsername: row.fromUsername,
      fromDisplayName: row.fromDisplayName,
    },
  };
}

/**
 * Several tips in one round trip and one commit, in order, each in its own subtransaction:
 * `packages/db/sql/tips/send_tip_many.sql` (each tip is `packages/db/sql/tips/send_tip.sql`, with its refusals).
 * One refused tip does not undo the others, so the outcomes come back per tip, in the order of `tips`; only a
 * failure of the call itself is thrown. A key given twice is a replay of its first tip. A tip that lost a deadlock
 * comes back as a `TipPostError` with SQLSTATE 40P01, its subtransaction undone: send it again.
 */
export async function sendTipMany(
  executor: Executor,
  tips: readonly SendTipManyItem[],
  options: { duplicateSeconds: number },
): Promise<SendTipOutcome[]> {
  if (tips.length === 0) return [];
  const elements = tips.map((tip) => ({
    key: tip.idempotencyKey,
    hash: tip.requestHash,
    streamId: tip.streamId,
    fromUserId: tip.fromUserId,
    walletAccountId: tip.walletAccountId,
    earningsAccountId: tip.earningsAccountId,
    earningsShardCount: tip.earningsShardCount,
    amountTokens: tip.amountTokens,
    note: tip.note,
    anonymous: tip.anonymous,
    now: tip.now.toISOString(),
  }));
  const rows = rowsOf<SendTipManyRow>(
    await executor.execute(sql`
      select idx, tip_id as "tipId", created_at as "createdAt", replayed, wallet_balance as "walletBalance",
        to_user_id as "toUserId", from_username as "fromUsername", from_display_name as "fromDisplayName",
        error_state as "errorState", error_detail as "errorDetail"
      from send_tip_many(${JSON.stringify(elements)}::text::jsonb, ${options.duplicateSeconds}::integer)
      order by idx`),
  );
  const byIndex = new Map(rows.map((row) => [row.idx, row]));
  return tips.map((_, i) => {
    const row = byIndex.get(i + 1);
    if (!row) throw new Error(`send_tip_many returned no row for tip ${i + 1} of ${tips.length}`);
    return tipOutcomeOf(row);
  });
}
