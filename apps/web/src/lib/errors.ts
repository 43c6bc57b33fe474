import { TRPCClientError } from '@trpc/client';

/** What a form or page shows about a failed API call. */
export interface Problem {
  /** A sentence a person can act on. */
  message: string;
  /** Field name → message, for invalid input. Empty otherwise. */
  fieldErrors: Record<string, string>;
  /** The API's error code ('NOT_FOUND', 'UNAUTHORIZED', …), 'NETWORK' when the API was unreachable. */
  code: string;
}

const UNREACHABLE_MESSAGE = 'We couldn’t reach Lumen’s servers. Check your connection and try again.';
const UNKNOWN_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';

interface ErrorData {
  code?: unknown;
  httpStatus?: unknown;
  fieldErrors?: unknown;
}

function readData(error: TRPCClientError<never>): ErrorData | null {
  const data: unknown = error.data;
  return data && typeof data === 'object' ? (data as ErrorData) : null;
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

/** Turns anything a client call can throw into a message, field errors and a code. */
export function describeError(error: unknown): Problem {
  if (error instanceof TRPCClientError) {
    const data = readData(error);
    if (!data) return { message: UNREACHABLE_MESSAGE, fieldErrors: {}, code: 'NETWORK' };
    const code = typeof data.code === 'string' ? data.code : 'INTERNAL_SERVER_ERROR';
    const message = code === 'INTERNAL_SERVER_ERROR' || !error.message ? UNKNOWN_MESSAGE : error.message;
    return { message, fieldErrors: readFieldErrors(data.fieldErrors), code };
  }
  if (error instanceof TypeError) return { message: UNREACHABLE_MESSAGE, fieldErrors: {}, code: 'NETWORK' };
  return { message: UNKNOWN_MESSAGE, fieldErrors: {}, code: 'UNKNOWN' };
}

/** The HTTP status a page should answer with for an API error code. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'BAD_REQUEST':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'TOO_MANY_REQUESTS':
      return 429;
    case 'NETWORK':
      return 503;
    default:
      return 500;
  }
}
