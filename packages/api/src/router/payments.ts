import {
  createPaymentIntent,
  listPackages,
  listPurchases,
  paymentStatus,
  transactionHistory,
} from '@app/core';
import { z } from 'zod';
import { idCursor, pageInput, timeCursor } from '../paging.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const paymentsRouter = router({
  /** Anyone: the token packages on sale, and whether payments are configured. */
  packages: publicProcedure.query(async ({ ctx }) => ({
    packages: await listPackages(ctx.deps),
    paymentsEnabled: ctx.deps.stripe !== null,
    publishableKey: ctx.deps.stripe?.publishableKey ?? null,
  })),

  /** Signed-in users: starts a purchase and returns the PaymentIntent's client secret. */
  createPaymentIntent: authedProcedure
    .input(z.object({ packageId: z.number().int().positive('Choose a token package.') }))
    .mutation(({ ctx, input }) => createPaymentIntent(ctx.deps, ctx.user.id, input.packageId)),

  /** Signed-in users: the state of one of their payments. Reads only; tokens arrive with Stripe's webhook. */
  confirmPayment: authedProcedure
    .input(z.object({ paymentIntentId: z.string().regex(/^pi_\w{4,250}$/, 'That is not a payment id.') }))
    .query(({ ctx, input }) => paymentStatus(ctx.deps, ctx.user.id, input.paymentIntentId)),

  /** Signed-in users: their purchases with each payment's state. */
  purchases: authedProcedure
    .input(pageInput(timeCursor))
    .query(({ ctx, input }) => listPurchases(ctx.deps, ctx.user.id, input)),

  /** Signed-in users: every token movement on their accounts, newest first. */
  transactions: authedProcedure
    .input(pageInput(idCursor))
    .query(({ ctx, input }) => transactionHistory(ctx.deps, ctx.user.id, input)),
});
