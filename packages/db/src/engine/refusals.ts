import type { streamStatus } from '../schema/streams.ts';
import { sqlError } from './db-errors.ts';

type StreamStatus = (typeof streamStatus.enumValues)[number];
/** A refusal that says nothing beyond its code. */
type NoDetail = Record<never, never>;

/** What each refusal tells beyond its code: the JSON its DETAIL carries. */
export type RefusalDetails = {
  STREAM_NOT_FOUND: NoDetail;
  USER_NOT_FOUND: NoDetail;
  NOT_LIVE: { status: Exclude<StreamStatus, 'live'> };
  OWN_STREAM: NoDetail;
  STREAMER_BANNED: NoDetail;
  WALLET_FROZEN: NoDetail;
  /** The debited account's balance (the sum of its rows for a sharded account). */
  INSUFFICIENT_FUNDS: { available: number };
  IDEMPOTENCY_CONFLICT: NoDetail;
  /** The reason the moderator gave, or null. */
  CHAT_BANNED: { reason: string | null };
  /** `until` is ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  CHAT_TIMED_OUT: { until: string; reason: string | null };
  FOLLOWERS_ONLY: NoDetail;
  VERIFIED_ONLY: NoDetail;
  /** Whole seconds until the sender may post again, at least 1. */
  SLOW_MODE: { secondsLeft: number };
  DUPLICATE: NoDetail;
  /** An NSFW stream and a user who is not age-verified (18+). */
  ADULTS_ONLY: NoDetail;
  /** The tipper's own limit this tip would pass: what it is, what they spent this period, when it starts over. */
  SPENDING_LIMIT: { period: 'day' | 'week'; limitTokens: number; spentTokens: number; resetsAt: string };
};
export type RefusalCode = keyof RefusalDetails;

/** How a detail field is checked when it is read back; the type checker keeps it in step with `RefusalDetails`. */
type DetailShape<D> = {
  readonly [K in keyof D]-?: null extends D[K] ? 'string|null' : D[K] extends number ? 'number' : 'string';
};
type RefusalEntry = {
  [C in RefusalCode]: { readonly code: C; readonly detail: DetailShape<RefusalDetails[C]> };
};

/**
 * The one table of refusals: each SQLSTATE of class LU that a function in `packages/db/sql` raises, the code it
 * means, and the fields of its JSON DETAIL. A refusal is something a user can be told; a bug (unbalanced postings,
 * a missing balance row) is a plain error and has no entry here.
 */
export const REFUSALS = {
  LU001: { code: 'STREAM_NOT_FOUND', detail: {} },
  LU002: { code: 'USER_NOT_FOUND', detail: {} },
  LU003: { code: 'NOT_LIVE', detail: { status: 'string' } },
  LU004: { code: 'OWN_STREAM', detail: {} },
  LU005: { code: 'STREAMER_BANNED', detail: {} },
  LU006: { code: 'WALLET_FROZEN', detail: {} },
  LU007: { code: 'INSUFFICIENT_FUNDS', detail: { available: 'number' } },
  LU008: { code: 'IDEMPOTENCY_CONFLICT', detail: {} },
  LU009: { code: 'CHAT_BANNED', detail: { reason: 'string|null' } },
  LU010: { code: 'CHAT_TIMED_OUT', detail: { until: 'string', reason: 'string|null' } },
  LU011: { code: 'FOLLOWERS_ONLY', detail: {} },
  LU012: { code: 'VERIFIED_ONLY', detail: {} },
  LU013: { code: 'SLOW_MODE', detail: { secondsLeft: 'number' } },
  LU014: { code: 'DUPLICATE', detail: {} },
  LU015: { code: 'ADULTS_ONLY', detail: {} },
  LU016: {
    code: 'SPENDING_LIMIT',
    detail: { period: 'string', limitTokens: 'number', spentTokens: 'number', resetsAt: 'string' },
  },
} as const satisfies Record<string, RefusalEntry[RefusalCode]>;
export type RefusalState = keyof typeof REFUSALS;

/** Compiles only while every code has a SQLSTATE: a code missing from `REFUSALS` is named in the error. */
type UnmappedCode = Exclude<RefusalCode, (typeof REFUSALS)[RefusalState]['code']>;
const _everyCodeMapped: Record<UnmappedCode, never> = {};

/** A rule in the database said no. `code` says which, `detail` what the database knew, `sqlState` how it said it. */
export class EngineRefusal<C extends RefusalCode = RefusalCode> extends Error {
  readonly code: C;
  readonly detail: RefusalDetails[C];
  readonly sqlState: RefusalState;

  constructor(code: C, detail: RefusalDetails[C], sqlState: RefusalState, options?: { cause?: unknown }) {
    const said = Object.keys(detail).length > 0 ? ` ${JSON.stringify(detail)}` : '';
    super(`the database refused: ${code}${said}`, options);
    this.name = 'EngineRefusal';
    this.code = code;
    this.detail = detail;
    this.sqlState = sqlState;
  }

  /** Narrows `detail` to the one of `code`. */
  is<K extends RefusalCode>(code: K): this is EngineRefusal<K> {
    return (this.code as RefusalCode) === code;
  }
}

/** An EngineRefusal of any code; checking `code` narrows `detail`. */
export type AnyEngineRefusal = { [C in RefusalCode]: EngineRefusal<C> }[RefusalCode];

function isRefusalState(state: string): state is RefusalState {
  return Object.hasOwn(REFUSALS, state);
}

/** The detail of a refusal read from its DETAIL text, or null when the text is not what the table says. */
function readDetail(
  shape: Readonly<Record<string, string>>,
  text: string | null,
): Record<string, unknown> | null {
  const fields = Object.entries(shape);
  if (fields.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const detail: Record<string, unknown> = {};
  for (const [key, kind] of fields) {
    const value = (parsed as Record<string, unknown>)[key];
    const fits =
      kind === 'number'
        ? typeof value === 'number'
        : typeof value === 'string' || (kind === 'string|null' && value === null);
    if (!fits) return null;
    detail[key] = value;
  }
  return detail;
}

/**
 * The refusal a SQLSTATE and DETAIL stand for, or null when the state is not in the table or its DETAIL does not
 * have the table's fields (a database whose functions are older than this code): that is an error, not a refusal.
 */
export function refusalFrom(
  state: string | null,
  detailText: string | null,
  options?: { cause?: unknown },
): AnyEngineRefusal | null {
  if (!state || !isRefusalState(state)) return null;
  const entry: RefusalEntry[RefusalCode] = REFUSALS[state];
  const detail = readDetail(entry.detail, detailText);
  if (!detail) return null;
  return new EngineRefusal(entry.code, detail as never, state, options) as AnyEngineRefusal;
}

/** The refusal a thrown driver error carries (Drizzle's wrapper looked through), or null for any other error. */
export function refusalOf(error: unknown): AnyEngineRefusal | null {
  if (error instanceof EngineRefusal) return error as AnyEngineRefusal;
  const failure = sqlError(error);
  return failure ? refusalFrom(failure.state, failure.detail, { cause: error }) : null;
}

/** Runs one call into the database; a refusal is thrown as an EngineRefusal, any other error as it was. */
export async function refusing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw refusalOf(error) ?? error;
  }
}
