import { describe, expect, test } from 'bun:test';
import { TRPCClientError } from '@trpc/client';
import { readApiError } from './api-error.ts';

function clientError(message: string, data: unknown) {
  return new TRPCClientError(message, { result: { error: { message, code: -32600, data } } as never });
}

describe('readApiError', () => {
  test('keeps the sentence and field errors of errors a person can act on', () => {
    const problem = readApiError(
      clientError('This account cannot use the admin app.', { code: 'FORBIDDEN', httpStatus: 403 }),
    );
    expect(problem).toEqual({
      code: 'FORBIDDEN',
      status: 403,
      message: 'This account cannot use the admin app.',
      fieldErrors: {},
    });

    const invalid = readApiError(
      clientError('Check the form.', { code: 'BAD_REQUEST', fieldErrors: { login: 'Too long.', bad: 3 } }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.fieldErrors).toEqual({ login: 'Too long.' });
  });

  test('hides whatever an internal error says', () => {
    const problem = readApiError(
      clientError('relation "users" does not exist', { code: 'INTERNAL_SERVER_ERROR' }),
    );
    expect(problem.code).toBe('SERVER_ERROR');
    expect(problem.message).not.toContain('relation');
  });

  test('a request that never reached tRPC reads as unreachable', () => {
    expect(readApiError(TRPCClientError.from(new TypeError('fetch failed'))).code).toBe('UNREACHABLE');
    expect(readApiError(new Error('boom')).code).toBe('UNREACHABLE');
    expect(readApiError('nope').status).toBe(503);
  });
});
