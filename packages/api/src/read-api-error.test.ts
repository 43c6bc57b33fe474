import { describe, expect, test } from 'bun:test';
import { DomainError } from '@app/core';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { z } from 'zod';
import { GENERIC_FAILURE, readApiError } from './client.ts';
import type { ApiContext } from './context.ts';
import { TEST_API_CONFIG } from './testing.ts';
import { publicProcedure, router } from './trpc.ts';

/** A client error as the tRPC client builds it from the API's answer. */
function clientError(message: string, data: unknown) {
  return new TRPCClientError(message, { result: { error: { message, code: -32600, data } } as never });
}

describe('readApiError', () => {
  test('keeps the sentence and field errors of errors a person can act on', () => {
    expect(
      readApiError(
        clientError('Password must be at least 10 characters.', {
          code: 'BAD_REQUEST',
          fieldErrors: { password: 'Password must be at least 10 characters.' },
        }),
      ),
    ).toEqual({
      message: 'Password must be at least 10 characters.',
      reason: null,
      fieldErrors: { password: 'Password must be at least 10 characters.' },
      retryAfterSeconds: null,
      code: 'BAD_REQUEST',
      status: 400,
    });
    expect(
      readApiError(
        clientError('This account cannot use the admin app.', {
          code: 'FORBIDDEN',
          httpStatus: 403,
          reason: 'FORBIDDEN',
        }),
      ),
    ).toEqual({
      message: 'This account cannot use the admin app.',
      reason: 'FORBIDDEN',
      fieldErrors: {},
      retryAfterSeconds: null,
      code: 'FORBIDDEN',
      status: 403,
    });
  });

  test('keeps only field errors that are sentences (the first of a list)', () => {
    const problem = readApiError(
      clientError('Check the form.', {
        code: 'BAD_REQUEST',
        fieldErrors: { login: 'Too long.', bad: 3, password: ['Too short.', 'No digits.'] },
      }),
    );
    expect(problem.fieldErrors).toEqual({ login: 'Too long.', password: 'Too short.' });
  });

  test('reads the reason and the wait from the API error', () => {
    const problem = readApiError(
      clientError('Slow mode is on: you can send your next message in 30 s.', {
        code: 'TOO_MANY_REQUESTS',
        httpStatus: 429,
        reason: 'SLOW_MODE',
        retryAfterSeconds: 30,
      }),
    );
    expect(problem).toMatchObject({
      message: 'Slow mode is on: you can send your next message in 30 s.',
      reason: 'SLOW_MODE',
      retryAfterSeconds: 30,
      status: 429,
    });
    expect(readApiError(new Error('boom')).reason).toBeNull();
  });

  test('a reason outside the domain’s list and a wait that is no wait are left out', () => {
    const read = (data: Record<string, unknown>) =>
      readApiError(clientError('No.', { code: 'CONFLICT', ...data }));
    expect(read({ reason: 'SOMETHING_NEW' }).reason).toBeNull();
    expect(read({ reason: 42 }).reason).toBeNull();
    expect(read({ retryAfterSeconds: 2.2 }).retryAfterSeconds).toBe(3);
    for (const wait of [0, -4, Number.POSITIVE_INFINITY, '30', null]) {
      expect(read({ retryAfterSeconds: wait }).retryAfterSeconds).toBeNull();
    }
  });

  test('server faults never show their own message', () => {
    for (const code of ['INTERNAL_SERVER_ERROR', 'BAD_GATEWAY', 'NOT_A_TRPC_CODE']) {
      const problem = readApiError(clientError('relation "users" does not exist', { code }));
      expect(problem.message).toBe(GENERIC_FAILURE);
      expect(problem.status).toBe(500);
    }
    expect(readApiError(clientError('', { code: 'CONFLICT' })).message).toBe(GENERIC_FAILURE);
  });

  test('the API’s sentence for a refusal of any other code reaches the page', () => {
    const problem = readApiError(
      clientError('Payments are not set up on this server yet.', {
        code: 'PRECONDITION_FAILED',
        reason: 'UNAVAILABLE',
      }),
    );
    expect(problem).toMatchObject({
      message: 'Payments are not set up on this server yet.',
      code: 'PRECONDITION_FAILED',
      reason: 'UNAVAILABLE',
      status: 500,
    });
  });

  test('a request that never reached tRPC reads as unreachable, not as a crash', () => {
    expect(readApiError(TRPCClientError.from(new TypeError('fetch failed'))).code).toBe('UNREACHABLE');
    expect(readApiError(clientError('fetch failed', undefined)).code).toBe('UNREACHABLE');
    expect(readApiError(clientError('Bad Gateway', { message: 'proxy' })).code).toBe('UNREACHABLE');
    const offline = readApiError(new TypeError('Failed to fetch'));
    expect(offline.code).toBe('UNREACHABLE');
    expect(offline.status).toBe(503);
  });

  test('a failure that was no API call at all is ours, not the network’s', () => {
    expect(readApiError(new Error('boom'))).toMatchObject({
      code: 'UNKNOWN',
      status: 500,
      message: GENERIC_FAILURE,
    });
    expect(readApiError('nope').status).toBe(500);
  });

  test('maps codes to page statuses', () => {
    const status = (code: string) => readApiError(clientError('No.', { code })).status;
    expect(status('UNAUTHORIZED')).toBe(401);
    expect(status('NOT_FOUND')).toBe(404);
    expect(status('CONFLICT')).toBe(409);
    expect(status('PAYLOAD_TOO_LARGE')).toBe(500);
  });
});

describe('readApiError on what the API really sends', () => {
  const testRouter = router({
    slow: publicProcedure.query(() => {
      throw new DomainError('RATE_LIMITED', 'Slow mode is on.', {
        reason: 'SLOW_MODE',
        retryAfterSeconds: 4.5,
      });
    }),
    poor: publicProcedure.query(() => {
      throw new DomainError('INSUFFICIENT_FUNDS', 'You need 40 more tokens.');
    }),
    named: publicProcedure.input(z.object({ title: z.string().max(3) })).query(() => 'never'),
    broken: publicProcedure.query(() => {
      throw new Error('relation "tips" does not exist');
    }),
  });
  const client = createTRPCClient<typeof testRouter>({
    links: [
      httpBatchLink({
        url: 'http://api.test/trpc',
        transformer: superjson,
        fetch: (input, init) =>
          fetchRequestHandler({
            endpoint: '/trpc',
            req: new Request(input as string, init as RequestInit),
            router: testRouter,
            createContext: () => ({ origin: null, config: TEST_API_CONFIG }) as unknown as ApiContext,
          }),
      }),
    ],
  });
  const failure = (call: Promise<unknown>) => call.then(() => expect.unreachable(), readApiError);

  test('a refusal keeps its sentence, its reason and its wait', async () => {
    expect(await failure(client.slow.query())).toEqual({
      message: 'Slow mode is on.',
      reason: 'SLOW_MODE',
      fieldErrors: {},
      retryAfterSeconds: 5,
      code: 'TOO_MANY_REQUESTS',
      status: 429,
    });
    expect(await failure(client.poor.query())).toMatchObject({
      reason: 'INSUFFICIENT_FUNDS',
      code: 'BAD_REQUEST',
    });
  });

  test('invalid input names the field', async () => {
    const problem = await failure(client.named.query({ title: 'far too long' }));
    expect(problem.code).toBe('BAD_REQUEST');
    expect(problem.fieldErrors).toEqual({ title: 'Title is too long.' });
    expect(problem.message).toBe('Title is too long.');
  });

  test('a fault of the server shows the fixed sentence', async () => {
    expect(await failure(client.broken.query())).toMatchObject({
      message: GENERIC_FAILURE,
      code: 'INTERNAL_SERVER_ERROR',
      reason: null,
    });
  });
});
