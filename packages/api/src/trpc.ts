import { DomainError, type PublicChange } from '@app/core';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { ApiContext } from './context.ts';
import { describeError, toTRPCError } from './errors.ts';
import { transformer } from './transformer.ts';

/** What a procedure declares about itself, for the transport. */
export type ProcedureMeta = {
  /**
   * Every visitor who is not signed in gets the same answer for the same input, and it changes only with these
   * public changes: the transport may share one answer among visitors for about a second (`apps/server`, the read
   * cache). Only for answers with nothing of the caller in them.
   */
  sharedWithVisitors?: readonly PublicChange[];
};

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    isDev: false,
    errorFormatter({ shape, error }) {
      const { message, fieldErrors, retryAfterSeconds, reason } = describeError(error);
      return {
        ...shape,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors,
          retryAfterSeconds,
          /** The domain's own code (e.g. INSUFFICIENT_FUNDS), when there is one, for clients to branch on. */
          reason,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become tRPC errors; mutations must come from one of our own pages (CSRF). */
const base = t.procedure.use(async ({ ctx, type, next }) => {
  if (type === 'mutation' && (!ctx.origin || !ctx.config.allowedOrigins.includes(ctx.origin))) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'This request did not come from a Lumen page. Reload the page and try again.',
    });
  }
  const result = await next();
  if (!result.ok) {
    const { cause } = result.error;
    if (cause instanceof DomainError) throw toTRPCError(cause);
    if (cause instanceof ZodError) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: describeError(result.error).message, cause });
    }
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = base;

/** Only visitors who are not signed in. */
export const anonymousProcedure = base.use(({ ctx, next }) => {
  if (ctx.auth)
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'You are already signed in. Log out first.' });
  return next();
});

/** Any signed-in user (banned users have no session). */
export const authedProcedure = base.use(({ ctx, next }) => {
  if (!ctx.auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to do that.' });
  return next({ ctx: { ...ctx, auth: ctx.auth, user: ctx.auth.user } });
});

/** Streamers and admins. */
export const streamerProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'streamer' && ctx.user.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only streamers can do that. Apply to stream first.' });
  }
  return next();
});

/** Platform moderators and admins. */
export const moderatorProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'moderator' && ctx.user.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only moderators and admins can do that.' });
  }
  return next();
});

/** Admins only. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins can do that.' });
  return next();
});
