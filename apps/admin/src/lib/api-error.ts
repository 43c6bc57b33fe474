import { TRPCClientError } from '@trpc/client';

export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'UNREACHABLE'
  | 'SERVER_ERROR';

/** An API failure reduced to what a page may show: a code to branch on and a sentence a person can act on. */
export interface ApiProblem {
  code: ApiErrorCode;
  status: number;
  message: string;
  fieldErrors: Record<string, string>;
}

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  UNREACHABLE: 503,
  SERVER_ERROR: 500,
};

const UNREACHABLE_MESSAGE =
  'The Lumen API could not be reached. Check that the server is running, then try again.';
const SERVER_ERROR_MESSAGE = 'Something went wrong on the Lumen server. Try again in a moment.';

function isKnownClientCode(code: unknown): code is Exclude<ApiErrorCode, 'UNREACHABLE' | 'SERVER_ERROR'> {
  return (
    typeof code === 'string' && code in STATUS_BY_CODE && code !== 'UNREACHABLE' && code !== 'SERVER_ERROR'
  );
}

function readFieldErrors(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  const fieldErrors: Record<string, string> = {};
  for (const [field, message] of Object.entries(value)) {
    if (typeof message === 'string') fieldErrors[field] = message;
  }
  return fieldErrors;
}

function problem(code: ApiErrorCode, message: string, fieldErrors: Record<string, string> = {}): ApiProblem {
  return { code, status: STATUS_BY_CODE[code], message, fieldErrors };
}

/**
 * Turns anything a tRPC call threw into an ApiProblem. Messages of the codes a person can act on come from the
 * server (they are written for people); anything else gets a fixed sentence so no stack or SQL reaches a page.
 */
export function readApiError(error: unknown): ApiProblem {
  if (!(error instanceof TRPCClientError)) return problem('UNREACHABLE', UNREACHABLE_MESSAGE);
  const data: unknown = error.data;
  const code = typeof data === 'object' && data !== null && 'code' in data ? data.code : undefined;
  // No error shape at all means the request never got a tRPC answer: network down, proxy page, wrong URL.
  if (code === undefined) return problem('UNREACHABLE', UNREACHABLE_MESSAGE);
  if (!isKnownClientCode(code)) return problem('SERVER_ERROR', SERVER_ERROR_MESSAGE);
  const fieldErrors =
    typeof data === 'object' && data !== null && 'fieldErrors' in data
      ? readFieldErrors(data.fieldErrors)
      : {};
  return problem(code, error.message || SERVER_ERROR_MESSAGE, fieldErrors);
}
