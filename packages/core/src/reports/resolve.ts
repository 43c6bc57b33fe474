import { reports, users } from '@app/db/schema';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';
import { CHAT_LIMITS, REPORT_REASONS } from '../kernel/limits.ts';
import { type Actor, isStaff } from '../kernel/viewer.ts';
import { deleteChatMessage, timeoutUser } from '../moderation/chat-actions.ts';
import { banUser } from '../moderation/platform-ban.ts';
import { writeLog } from '../moderation/power.ts';
import { staffReport } from './queue.ts';
import type { ResolveReportInput } from './schemas.ts';

type Report = typeof reports.$inferSelect;

/** Refuses an action that does not fit the report, before anything changes, with what would fit. */
function checkFits(report: Report, input: ResolveReportInput) {
  if (input.action === 'delete_message' && (report.kind !== 'message' || !report.messageId)) {
    throw invalid('action', 'Only a reported chat message can be deleted; pick another action.');
  }
  if (input.action === 'timeout') {
    if (report.kind === 'stream') {
      throw invalid('action', 'A streamer cannot be timed out of their own room; dismiss or ban instead.');
    }
    if (!report.streamId) {
      throw invalid(
        'action',
        'This person was not reported from a room, so there is no room to time them out of.',
      );
    }
    if (!input.timeoutSeconds) throw invalid('timeoutSeconds', 'Pick how long the timeout lasts.');
  }
  if (input.action !== 'dismiss' && !report.targetUserId) {
    throw new DomainError('CONFLICT', 'The reported account no longer exists; dismiss the report.');
  }
}

/** Does what staff decided, through the same functions as acting from the chat or the users page. */
async function carryOut(deps: CoreDeps, actor: Actor, report: Report, input: ResolveReportInput) {
  const reason = (input.note || `Report #${report.id}: ${REPORT_REASONS[report.reason]}`).slice(
    0,
    CHAT_LIMITS.reasonMax,
  );
  if (input.action === 'delete_message') {
    await deleteChatMessage(deps, actor, { messageId: report.messageId!, reason });
  } else if (input.action === 'timeout') {
    await timeoutUser(deps, actor, {
      streamId: report.streamId!,
      userId: report.targetUserId!,
      seconds: input.timeoutSeconds!,
      reason,
    });
  } else if (input.action === 'platform_ban') {
    const [target] = await deps.db
      .select({ role: users.role, bannedAt: users.bannedAt })
      .from(users)
      .where(eq(users.id, report.targetUserId!));
    if (!target) throw notFound('That user');
    if (isStaff(target.role) && actor.role !== 'admin')
      throw forbidden('Only an admin can ban platform staff.');
    // A ban already in place (from another report, say) is the outcome asked for: nothing more to do.
    if (!target.bannedAt) await banUser(deps, actor.id, report.targetUserId!, reason);
  }
}

/** The other open reports about the same target, which the same decision answers. */
function sameTarget(report: Report) {
  if (report.kind === 'message') return eq(reports.messageId, report.messageId ?? -1);
  if (report.kind === 'stream') return eq(reports.streamId, report.streamId ?? sql`null`);
  return eq(reports.targetUserId, report.targetUserId ?? sql`null`);
}

/**
 * The reviewer closes a report with what was done: dismissed, or resolved by deleting the message, a timeout in
 * the room, or a platform ban. The report is closed first, so that two tries cannot both act; if the action is
 * refused (a streamer cannot be timed out in their own room, say), the report goes back to review and the refusal
 * is the answer. Unclaimed open reports about the same target close with it, and the decision is logged.
 */
export async function resolveReport(deps: CoreDeps, actor: Actor, input: ResolveReportInput) {
  const [report] = await deps.db.select().from(reports).where(eq(reports.id, input.reportId));
  if (!report) throw notFound('That report');
  if (report.state === 'resolved' || report.state === 'dismissed') {
    throw new DomainError('CONFLICT', 'That report is already closed; it is in the history.');
  }
  if (report.state !== 'in_review' || report.claimedById !== actor.id) {
    throw new DomainError('CONFLICT', 'Claim the report before resolving it.');
  }
  checkFits(report, input);
  const now = deps.clock.now();
  const outcome = {
    state: input.action === 'dismiss' ? ('dismissed' as const) : ('resolved' as const),
    action: input.action,
    resolvedById: actor.id,
    resolvedAt: now,
    resolutionNote: input.note || null,
  };
  const closed = await deps.db
    .update(reports)
    .set(outcome)
    .where(and(eq(reports.id, report.id), eq(reports.state, 'in_review'), eq(reports.claimedById, actor.id)))
    .returning({ id: reports.id });
  if (closed.length === 0) {
    throw new DomainError('CONFLICT', 'Someone else took this report over or closed it; reload the queue.');
  }
  try {
    await carryOut(deps, actor, report, input);
  } catch (error) {
    await deps.db
      .update(reports)
      .set({ state: 'in_review', action: null, resolvedById: null, resolvedAt: null, resolutionNote: null })
      .where(eq(reports.id, report.id));
    throw error;
  }
  await deps.db.transaction(async (tx) => {
    const alsoClosed = await tx
      .update(reports)
      .set(outcome)
      .where(
        and(
          ne(reports.id, report.id),
          eq(reports.kind, report.kind),
          eq(reports.state, 'open'),
          sameTarget(report),
        ),
      )
      .returning({ id: reports.id });
    await writeLog(
      deps,
      {
        actorId: actor.id,
        targetUserId: report.targetUserId,
        streamId: report.streamId,
        messageId: report.messageId,
        action: 'resolve_report',
        reason: input.note || null,
        durationSeconds: input.action === 'timeout' ? (input.timeoutSeconds ?? null) : null,
        metadata: {
          reportId: report.id,
          action: input.action,
          ...(alsoClosed.length > 0 ? { alsoClosed: alsoClosed.map((row) => row.id) } : {}),
        },
      },
      tx,
    );
  });
  return staffReport(deps, report.id);
}
