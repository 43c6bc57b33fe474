import { describe, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { describeError, statusForCode } from './errors.ts';

function apiError(message: string, data: Record<string, unknown> | undefined) {
  const error = new TRPCClientError<never>(message);
  Object.defineProperty(error, 'data', { value: data });
  return error;
}

describe('describeError', () => {
  test('passes field errors through and keeps the message', () => {
    const problem = describeError(
      apiError('Password must be at least 10 characters.', {
        code: 'BAD_REQUEST',
        fieldErrors: { password: 'Password must be at least 10 characters.' },
      }),
    );
    expect(problem).toEqual({
      message: 'Password must be at least 10 characters.',
      fieldErrors: { password: 'Password must be at least 10 characters.' },
      code: 'BAD_REQUEST',
    });
  });

  test('an unreachable API is a network problem, not a crash', () => {
    expect(describeError(apiError('fetch failed', undefined)).code).toBe('NETWORK');
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
  });

  test('server faults never show their own message', () => {
    const problem = describeError(
      apiError('relation "users" does not exist', { code: 'INTERNAL_SERVER_ERROR' }),
    );
    expect(problem.message).not.toContain('relation');
  });

  test('maps codes to page statuses', () => {
    expect(statusForCode('NOT_FOUND')).toBe(404);
    expect(statusForCode('NETWORK')).toBe(503);
    expect(statusForCode('WHATEVER')).toBe(500);
  });
});
