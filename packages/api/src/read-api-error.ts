import { REFUSAL_REASONS, type RefusalReason } from '@app/core/browser';
import { TRPCClientError } from '@trpc/client';
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { GENERIC_FAILURE, UNREACHABLE_FAILURE } from './failure-messages.ts';

/** tRPC's code for a failed call; `UNREACHABLE` when no tRPC answer came back, `UNKNOWN` when it was no API call. */
export type ApiErrorCode = TRPC_ERROR_CODE_KEY | 'UNREACHABLE' | 'UNKNOWN';

/** A failed API call reduced to what a page may show and branch on. */
export interface ApiProblem {
  /** A sentence a person can act on; never a stack or SQL. */
  message: string;
  /** The domain's reason (`SLOW_MODE`, `INSUFFICIENT_FUNDS`, …) when the API gave one. */
  reason: RefusalReason | null;
  /** Field name → message, for invalid input. Empty otherwise. */
  fieldErrors: Record<string, string>;
  /** Whole seconds before trying again can work, when the API said. */
  retryAfterSeconds: number | null;
  code: ApiErrorCode;
  /** The HTTP status a page answers with for this failure. */
  status: number;
}

const STATUS_BY_CODE: Partial<Record<ApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  UNREACHABLE: 503,
};

// What a server fault says may describe its internals, so a fixed sentence stands in for it.
const SERVER_FAULTS: ReadonlySet<ApiErrorCode> = new Set([
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
]);

const REASONS: ReadonlySet<unknown> = new Set(REFUSAL_REASONS);

function problem(code: ApiErrorCode, message: string): ApiProblem {
  return {
    message,
    reason: null,
    fieldErrors: {},
    retryAfterSeconds: null,
    code,
    status: STATUS_BY_CODE[code] ?? 500,
  };
}

function isTrpcCode(value: unknown): value is TRPC_ERROR_CODE_KEY {
  return typeof value === 'string' && Object.hasOwn(TRPC_ERROR_CODES_BY_KEY, value);
}

function readFieldErrors(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const fieldErrors: Record<string, string> = {};
  for (const [field, message] of Object.entries(value)) {
    if (typeof message === 'string') fieldErrors[field] = message;
    else if (Array.isArray(message) && typeof message[0] === 'string') fieldErrors[field] = message[0];
  }
  return fieldErrors;
}

function readRetryAfter(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

/**
 * Turns anything an API call can throw into an ApiProblem. The API writes its messages for people (see
 * `describeError` in errors.ts) and puts `reason`, `fieldErrors` and `retryAfterSeconds` in the error's data;
 * server faults and failures that never reached it get a fixed sentence instead.
 */
export function readApiError(error: unknown): ApiProblem {
  if (!(error instanceof TRPCClientError)) {
    // fetch throws a TypeError when the request never left (offline, refused connection, DNS).
    return error instanceof TypeError
      ? problem('UNREACHABLE', UNREACHABLE_FAILURE)
      : problem('UNKNOWN', GENERIC_FAILURE);
  }
  const data: unknown = error.data;
  // No error shape at all means the request never got a tRPC answer: network down, proxy page, wrong URL.
  if (!data || typeof data !== 'object' || !('code' in data))
    return problem('UNREACHABLE', UNREACHABLE_FAILURE);
  const code = isTrpcCode(data.code) ? data.code : 'INTERNAL_SERVER_ERROR';
  if (SERVER_FAULTS.has(code)) return problem(code, GENERIC_FAILURE);
  const fields = data as Record<string, unknown>;
  return {
    ...problem(code, error.message || GENERIC_FAILURE),
    reason: REASONS.has(fields.reason) ? (fields.reason as RefusalReason) : null,
    fieldErrors: readFieldErrors(fields.fieldErrors),
    retryAfterSeconds: readRetryAfter(fields.retryAfterSeconds),
  };
}
