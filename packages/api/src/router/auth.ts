import {
  becomeStreamer,
  becomeStreamerInput,
  changePassword,
  changePasswordInput,
  endAllSessions,
  endSession,
  loadMe,
  login,
  loginInput,
  register,
  registerInput,
  type SignedIn,
  sessionExpiresAt,
  verifyAge,
  verifyAgeInput,
} from '@app/core';
import type { ApiContext } from '../context.ts';
import { anonymousProcedure, authedProcedure, publicProcedure, router } from '../trpc.ts';

const meta = (ctx: ApiContext) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

function startSession(ctx: ApiContext, signedIn: SignedIn) {
  ctx.cookies.set(signedIn.token, sessionExpiresAt(signedIn.session, ctx.deps.sessions));
  return signedIn.me;
}

export const authRouter = router({
  /** Anyone: the signed-in user, or null. */
  me: publicProcedure.query(({ ctx }) => (ctx.auth ? loadMe(ctx.deps.db, ctx.auth.user.id) : null)),

  /** Visitors who are not signed in. */
  register: anonymousProcedure
    .input(registerInput)
    .mutation(async ({ ctx, input }) => startSession(ctx, await register(ctx.deps, input, meta(ctx)))),

  /** Anyone; signing in as someone else ends the current session first. */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const signedIn = await login(ctx.deps, input, meta(ctx));
    if (ctx.auth) await endSession(ctx.deps, ctx.auth.user.id, ctx.auth.session.id, 'replaced');
    return startSession(ctx, signedIn);
  }),

  /** Signed-in users: ends this session; its open sockets on every node close. */
  logout: authedProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.deps, ctx.user.id, ctx.auth.session.id, 'logout');
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** Signed-in users: ends every session of the account, on every device, this one included. */
  logoutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    await endAllSessions(ctx.deps, ctx.user.id);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** Signed-in users: ends every session and starts a new one here. */
  changePassword: authedProcedure
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) =>
      startSession(ctx, await changePassword(ctx.deps, ctx.user.id, input, meta(ctx))),
    ),

  /** Signed-in users: 18+ attestation. */
  verifyAge: authedProcedure
    .input(verifyAgeInput)
    .mutation(({ ctx, input }) => verifyAge(ctx.deps, ctx.user.id, input)),

  /** Signed-in, age-verified viewers. */
  becomeStreamer: authedProcedure
    .input(becomeStreamerInput)
    .mutation(({ ctx, input }) => becomeStreamer(ctx.deps, ctx.user.id, input)),
});
