/** What went wrong, in terms a caller can act on. The API maps each code to one tRPC error code. */
export type DomainErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'WRONG_CREDENTIALS'
  | 'FORBIDDEN'
  | 'BANNED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INSUFFICIENT_FUNDS'
  | 'UNAVAILABLE';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Field name → message, for forms. */
  readonly fieldErrors: Record<string, string> | undefined;
  /** Seconds until a rate-limited caller may try again. */
  readonly retryAfterSeconds: number | undefined;
  /** A finer reason than `code` for clients to branch on (e.g. TIMED_OUT, SLOW_MODE). */
  readonly reason: string | undefined;

  constructor(
    code: DomainErrorCode,
    message: string,
    extra: { fieldErrors?: Record<string, string>; retryAfterSeconds?: number; reason?: string } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.reason = extra.reason;
  }
}

export const invalid = (field: string, message: string) =>
  new DomainError('INVALID_INPUT', message, { fieldErrors: { [field]: message } });
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
