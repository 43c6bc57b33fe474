import {
  adminDashboard,
  adminPurchases,
  adminPurchasesInput,
  adminUserList,
  adminUsersInput,
  banUser,
  checkLedger,
  financeReport,
  financeReportInput,
  grantTokens,
  grantTokensInput,
  ledgerLookup,
  ledgerLookupInput,
  listWithdrawals,
  moderationLog,
  moderationLogInput,
  plainText,
  reviewWithdrawal,
  STAFF_LIMITS,
  unbanUser,
} from '@app/core';
import { z } from 'zod';
import { pageInput, timeCursor } from '../paging.ts';
import { adminProcedure, moderatorProcedure, router } from '../trpc.ts';
import { adminReportsRouter } from './reports.ts';

const withdrawalAction = z.object({
  withdrawalId: z.uuid('That is not a withdrawal id.'),
  note: plainText({
    label: 'The note',
    max: STAFF_LIMITS.payoutNoteMax,
    multiline: true,
    messages: { tooLong: `Keep the note under ${STAFF_LIMITS.payoutNoteMax} characters.` },
  }).optional(),
});

const banAction = z.object({
  userId: z.uuid('That is not a user id.'),
  reason: plainText({
    label: 'The reason',
    min: STAFF_LIMITS.banReasonMin,
    max: STAFF_LIMITS.banReasonMax,
    multiline: true,
    messages: {
      empty: `Give a reason of at least ${STAFF_LIMITS.banReasonMin} characters.`,
      tooShort: `Give a reason of at least ${STAFF_LIMITS.banReasonMin} characters.`,
      tooLong: `Keep the reason under ${STAFF_LIMITS.banReasonMax} characters.`,
    },
  }),
});

/** Admins only: the money, read-only. Every movement goes through the economy's own procedures. */
const financeRouter = router({
  /** Per UTC day, newest first: purchases, revenue by currency, refunds, disputes, tokens tipped and paid out. */
  report: adminProcedure.input(financeReportInput).query(({ ctx, input }) => financeReport(ctx.deps, input)),
  /** Purchases newest first with their buyer, optionally of one status (refunded, disputed…), keyset pages. */
  purchases: adminProcedure
    .input(adminPurchasesInput)
    .query(({ ctx, input }) => adminPurchases(ctx.deps, input)),
  /** The ledger explorer: one transaction with its entries, or one account with its balance and entries. */
  ledger: adminProcedure.input(ledgerLookupInput).query(({ ctx, input }) => ledgerLookup(ctx.deps, input)),
  /** The conservation check, run now over the whole ledger: sum of balances 0, every transaction balanced, …. */
  check: adminProcedure.query(({ ctx }) => checkLedger(ctx.deps.db, ctx.deps.clock.now())),
});

export const adminRouter = router({
  finance: financeRouter,

  /**
   * Moderators and admins: every channel's moderation log (or one channel's), newest first, filtered by kind of
   * action, who acted, on whom, and when. The admin app's CSV export pages through it.
   */
  moderationLog: moderatorProcedure
    .input(moderationLogInput)
    .query(({ ctx, input }) => moderationLog(ctx.deps, ctx.user, input)),

  /** Moderators and admins: platform counts for the admin home page. */
  dashboard: moderatorProcedure.query(({ ctx }) => adminDashboard(ctx.deps)),

  /** Moderators and admins: every account, banned ones included, with role and ban state. */
  users: moderatorProcedure.input(adminUsersInput).query(({ ctx, input }) => adminUserList(ctx.deps, input)),

  /** Admins: bans a user platform-wide; their sessions end and their open connections close at once. */
  banUser: adminProcedure.input(banAction).mutation(async ({ ctx, input }) => {
    await banUser(ctx.deps, ctx.user.id, input.userId, input.reason);
    return { userId: input.userId, banned: true };
  }),

  /** Admins: lifts a platform ban. */
  unbanUser: adminProcedure.input(banAction).mutation(async ({ ctx, input }) => {
    await unbanUser(ctx.deps, ctx.user.id, input.userId, input.reason);
    return { userId: input.userId, banned: false };
  }),

  /** Admins: gives a user tokens from the platform's promotions account, logged with the reason. */
  grantTokens: adminProcedure
    .input(grantTokensInput)
    .mutation(({ ctx, input }) => grantTokens(ctx.deps, ctx.user.id, input)),

  /** Moderators and admins: viewers' reports (see `reports.ts`). */
  reports: adminReportsRouter,

  payouts: router({
    /** Admins: withdrawals, newest first, optionally of one status. */
    list: adminProcedure
      .input(
        pageInput(timeCursor, 50).extend({
          status: z.enum(['pending', 'held', 'approved', 'rejected', 'paid']).optional(),
        }),
      )
      .query(({ ctx, input }) => listWithdrawals(ctx.deps, input)),
    /** Admins: a pending withdrawal (a held one needs `approveHeld`). */
    approve: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) => reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'approve' })),
    /** Admins: the explicit decision a held withdrawal needs, with the note saying why it may be paid. */
    approveHeld: adminProcedure
      .input(
        withdrawalAction.extend({
          note: z
            .string('Say why this held withdrawal may be paid.')
            .trim()
            .min(3, 'Say why this held withdrawal may be paid (at least 3 characters).')
            .max(500, 'Keep the note under 500 characters.'),
        }),
      )
      .mutation(({ ctx, input }) =>
        reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'approveHeld' }),
      ),
    /** Admins: the tokens return to the streamer's earnings. */
    reject: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) => reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'reject' })),
    /** Admins: the money was sent. */
    markPaid: adminProcedure
      .input(withdrawalAction)
      .mutation(({ ctx, input }) =>
        reviewWithdrawal(ctx.deps, ctx.user.id, { ...input, action: 'markPaid' }),
      ),
  }),
});
