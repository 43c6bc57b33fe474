import { reports, users } from '@app/db/schema';
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';
import type { Actor } from '../kernel/viewer.ts';
import { writeLog } from '../moderation/power.ts';
import { type ClaimReportInput, HISTORY_STATES, QUEUE_STATES, type ReportListInput } from './schemas.ts';
import { staffReportRows } from './views.ts';

/**
 * Staff's list: the queue (open and in review) oldest first, so nothing waits forever behind new reports; or
 * the history (resolved and dismissed), newest first. Both narrow by state and kind, and page by report id.
 */
export async function listReports(deps: CoreDeps, input: ReportListInput) {
  const queue = input.view === 'queue';
  const states = input.state ? [input.state] : [...(queue ? QUEUE_STATES : HISTORY_STATES)];
  const rows = await staffReportRows(
    deps,
    and(
      inArray(reports.state, states),
      input.kind ? eq(reports.kind, input.kind) : undefined,
      input.cursor ? (queue ? gt(reports.id, input.cursor) : lt(reports.id, input.cursor)) : undefined,
    ),
    queue ? sql`${reports.id} asc` : sql`${reports.id} desc`,
    input.limit + 1,
  );
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** One report as staff see it. */
export async function staffReport(deps: CoreDeps, reportId: number) {
  const [row] = await staffReportRows(deps, eq(reports.id, reportId), sql`${reports.id}`, 1);
  if (!row) throw notFound('That report');
  return row;
}

/**
 * A staff member takes a report to review. One reviewer at a time: another moderator's claim is refused with who
 * holds it; an admin may take it over (`takeOver`), and the log says from whom.
 */
export async function claimReport(deps: CoreDeps, actor: Actor, input: ClaimReportInput) {
  await deps.db.transaction(async (tx) => {
    const [report] = await tx
      .select({
        id: reports.id,
        state: reports.state,
        claimedById: reports.claimedById,
        targetUserId: reports.targetUserId,
      })
      .from(reports)
      .where(eq(reports.id, input.reportId))
      .for('update');
    if (!report) throw notFound('That report');
    if (report.state === 'resolved' || report.state === 'dismissed') {
      throw new DomainError('CONFLICT', 'That report is already closed; it is in the history.');
    }
    if (report.targetUserId === actor.id) {
      throw forbidden('That report is about you; another staff member must review it.');
    }
    if (report.state === 'in_review' && report.claimedById === actor.id) return;
    const heldBy = report.state === 'in_review' ? report.claimedById : null;
    if (heldBy) {
      const [holder] = await tx.select({ username: users.username }).from(users).where(eq(users.id, heldBy));
      const who = holder ? `@${holder.username}` : 'Another staff member';
      if (actor.role !== 'admin') {
        throw new DomainError('CONFLICT', `${who} is reviewing that report. Only an admin can take it over.`);
      }
      if (!input.takeOver) {
        throw new DomainError(
          'CONFLICT',
          `${who} is reviewing that report. Take it over to review it yourself.`,
        );
      }
    }
    const now = deps.clock.now();
    await tx
      .update(reports)
      .set({ state: 'in_review', claimedById: actor.id, claimedAt: now })
      .where(eq(reports.id, report.id));
    await writeLog(
      deps,
      {
        actorId: actor.id,
        targetUserId: report.targetUserId,
        action: 'claim_report',
        metadata: { reportId: report.id, ...(heldBy ? { takenOverFrom: heldBy } : {}) },
      },
      tx,
    );
  });
  return staffReport(deps, input.reportId);
}
