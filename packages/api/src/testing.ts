import { type CoreDeps, SESSION_COOKIE_NAME } from '@app/core';
import { TRPCError } from '@trpc/server';
import { type ApiConfig, createApiContext } from './context.ts';
import { createCaller } from './root.ts';

export const TEST_ORIGIN = 'http://localhost:5173';
export const TEST_API_CONFIG: ApiConfig = {
  allowedOrigins: [TEST_ORIGIN, 'http://localhost:5174'],
  cookie: { secure: false },
};

/** A server-side caller acting as the holder of `token` (or anonymous), from an allowed page unless told. */
export async function callerFor(
  deps: CoreDeps,
  token: string | null,
  options: { origin?: string | null } = {},
) {
  const headers = new Headers({ 'user-agent': 'bun-test' });
  if (token) headers.set('cookie', `${SESSION_COOKIE_NAME}=${token}`);
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  if (origin) headers.set('origin', origin);
  const resHeaders = new Headers();
  const ctx = await createApiContext({
    deps,
    config: TEST_API_CONFIG,
    req: new Request('http://localhost:3000/trpc', { headers }),
    resHeaders,
    ip: '127.0.0.1',
    requestId: crypto.randomUUID(),
  });
  return { caller: createCaller(ctx), resHeaders };
}

/** The tRPC error a call ends in; throws when the call is not refused (or fails with anything else). */
export async function trpcRefusal(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('The call was not refused.');
}
