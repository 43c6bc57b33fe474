import {
  claimReport,
  claimReportInput,
  createReport,
  createReportInput,
  listReports,
  myReports,
  myReportsInput,
  reportListInput,
  resolveReport,
  resolveReportInput,
} from '@app/core';
import { authedProcedure, moderatorProcedure, router } from '../trpc.ts';

/** Reports filed by viewers; banned accounts have no session, so they cannot file any. */
export const reportsRouter = router({
  /** Any signed-in user: reports a person, a chat line or a stream (never their own), one open report each. */
  create: authedProcedure
    .input(createReportInput)
    .mutation(({ ctx, input }) => createReport(ctx.deps, ctx.user, input)),

  /** Any signed-in user: their own reports, newest first, with where each stands. */
  mine: authedProcedure.input(myReportsInput).query(({ ctx, input }) => myReports(ctx.deps, ctx.user, input)),
});

/** The staff queue, mounted at `admin.reports`. */
export const adminReportsRouter = router({
  /** Moderators and admins: the queue (open, in review; oldest first) or the history (closed; newest first). */
  list: moderatorProcedure.input(reportListInput).query(({ ctx, input }) => listReports(ctx.deps, input)),

  /** Moderators and admins: take a report to review; admins may take over another's (`takeOver`). */
  claim: moderatorProcedure
    .input(claimReportInput)
    .mutation(({ ctx, input }) => claimReport(ctx.deps, ctx.user, input)),

  /** Moderators and admins, on a report they review: dismiss, delete the message, time out, or ban. */
  resolve: moderatorProcedure
    .input(resolveReportInput)
    .mutation(({ ctx, input }) => resolveReport(ctx.deps, ctx.user, input)),
});
