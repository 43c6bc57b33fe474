import { DomainError, type DomainErrorCode, type RefusalReason } from '@app/core';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { GENERIC_FAILURE } from './failure-messages.ts';

/** The one place domain errors become tRPC errors. */
const CODES: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_INPUT: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  WRONG_CREDENTIALS: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  BANNED: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  INSUFFICIENT_FUNDS: 'BAD_REQUEST',
  UNAVAILABLE: 'PRECONDITION_FAILED',
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: CODES[error.code], message: error.message, cause: error });
}

const FIELD_LABELS: Record<string, string> = { dateOfBirth: 'Date of birth', avatarUrl: 'Avatar URL' };

/** A readable message and per-field messages for an error, without stacks or SQL. */
export function describeError(error: TRPCError): {
  message: string;
  fieldErrors?: Record<string, string>;
  retryAfterSeconds?: number;
  reason?: RefusalReason;
} {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of cause.issues) {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
      fieldErrors[field] ??= humanize(issue.message, field, issue.code);
    }
    const [, message] = Object.entries(fieldErrors)[0] ?? ['input', 'The request is not valid.'];
    return { message, fieldErrors };
  }
  if (cause instanceof DomainError) {
    return {
      message: cause.message,
      reason: cause.reason ?? cause.code,
      ...(cause.fieldErrors ? { fieldErrors: cause.fieldErrors } : {}),
      ...(cause.retryAfterSeconds ? { retryAfterSeconds: cause.retryAfterSeconds } : {}),
    };
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') return { message: GENERIC_FAILURE };
  return { message: error.message };
}

/** Zod's built-in messages ("Invalid input: expected string, received undefined") rewritten for people. */
function humanize(message: string, field: string, code: string): string {
  if (!message.startsWith('Invalid input') && !message.startsWith('Too ') && code !== 'unrecognized_keys') {
    return message;
  }
  const label = FIELD_LABELS[field] ?? field.charAt(0).toUpperCase() + field.slice(1);
  if (message.includes('received undefined')) return `${label} is required.`;
  if (code === 'too_big') return `${label} is too long.`;
  if (code === 'too_small') return `${label} is too short.`;
  if (code === 'unrecognized_keys') return 'The request has fields this action does not take.';
  return `${label} is not valid.`;
}
