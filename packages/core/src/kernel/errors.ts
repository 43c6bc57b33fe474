/** What went wrong, in terms a caller can act on. The API maps each code to one tRPC error code. */
export const DOMAIN_ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'WRONG_CREDENTIALS',
  'FORBIDDEN',
  'BANNED',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INSUFFICIENT_FUNDS',
  'UNAVAILABLE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Finer reasons than the code, for clients to branch on (a cooldown, a closed chat). */
export const DETAIL_REASONS = [
  'NOT_LIVE',
  'BANNED_FROM_CHAT',
  'TIMED_OUT',
  'FOLLOWERS_ONLY',
  'VERIFIED_ONLY',
  'SLOW_MODE',
  'DUPLICATE',
  'ADULTS_ONLY',
  'SPENDING_LIMIT',
  /** A word filter refused the text. */
  'BLOCKED_WORD',
] as const;
export type DetailReason = (typeof DETAIL_REASONS)[number];

/** Every reason a client can be given for a refusal: the finer reason when there is one, else the code. */
export const REFUSAL_REASONS = [...DOMAIN_ERROR_CODES, ...DETAIL_REASONS] as const;
export type RefusalReason = DomainErrorCode | DetailReason;

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Field name → message, for forms. */
  readonly fieldErrors: Record<string, string> | undefined;
  /** Seconds until a rate-limited caller may try again. */
  readonly retryAfterSeconds: number | undefined;
  /** A finer reason than `code` for clients to branch on. */
  readonly reason: RefusalReason | undefined;

  constructor(
    code: DomainErrorCode,
    message: string,
    extra: { fieldErrors?: Record<string, string>; retryAfterSeconds?: number; reason?: RefusalReason } = {},
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
