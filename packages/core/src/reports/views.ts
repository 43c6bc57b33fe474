import { messages, reports, streams, users } from '@app/db/schema';
import { eq, type SQL, sql } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { CoreDeps } from '../kernel/deps.ts';

const reporter = alias(users, 'reporter');
const target = alias(users, 'target');
const claimer = alias(users, 'claimer');
const resolver = alias(users, 'resolver');
const streamer = alias(users, 'streamer');

type PersonColumns = 'id' | 'username' | 'displayName';
const person = <T extends Record<PersonColumns, PgColumn>>(table: T): Pick<T, PersonColumns> => ({
  id: table.id,
  username: table.username,
  displayName: table.displayName,
});

/**
 * Reports as staff see them: who reported whom, the reported line's text as it was (with its room and time), the
 * stream, and who is reviewing or closed it. People and places that no longer exist come back as null.
 */
export async function staffReportRows(deps: CoreDeps, where: SQL | undefined, order: SQL, limit: number) {
  const rows = await deps.db
    .select({
      id: reports.id,
      kind: reports.kind,
      reason: reports.reason,
      note: reports.note,
      state: reports.state,
      action: reports.action,
      resolutionNote: reports.resolutionNote,
      createdAt: reports.createdAt,
      claimedAt: reports.claimedAt,
      resolvedAt: reports.resolvedAt,
      reporter: person(reporter),
      target: { ...person(target), role: target.role, bannedAt: target.bannedAt },
      claimedBy: person(claimer),
      resolvedBy: person(resolver),
      messageId: reports.messageId,
      messageBody: reports.messageBody,
      messageSentAt: messages.createdAt,
      messageDeletedAt: messages.deletedAt,
      streamId: reports.streamId,
      streamTitle: streams.title,
      streamStatus: streams.status,
      streamer: person(streamer),
    })
    .from(reports)
    .leftJoin(reporter, eq(reporter.id, reports.reporterId))
    .leftJoin(target, eq(target.id, reports.targetUserId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedById))
    .leftJoin(resolver, eq(resolver.id, reports.resolvedById))
    .leftJoin(messages, eq(messages.id, reports.messageId))
    .leftJoin(streams, eq(streams.id, reports.streamId))
    .leftJoin(streamer, eq(streamer.id, streams.streamerId))
    .where(where)
    .orderBy(order)
    .limit(limit);
  return rows.map(
    ({
      messageId,
      messageBody,
      messageSentAt,
      messageDeletedAt,
      streamTitle,
      streamStatus,
      streamer,
      ...row
    }) => ({
      ...row,
      message:
        row.kind === 'message'
          ? { id: messageId, body: messageBody ?? '', sentAt: messageSentAt, deletedAt: messageDeletedAt }
          : null,
      stream: row.streamId ? { id: row.streamId, title: streamTitle, status: streamStatus, streamer } : null,
    }),
  );
}
export type StaffReport = Awaited<ReturnType<typeof staffReportRows>>[number];

/** A reporter's own reports: what they reported, why, and where it stands (never staff's private note). */
export async function ownReportRows(deps: CoreDeps, where: SQL | undefined, limit: number) {
  return deps.db
    .select({
      id: reports.id,
      kind: reports.kind,
      reason: reports.reason,
      note: reports.note,
      state: reports.state,
      action: reports.action,
      createdAt: reports.createdAt,
      resolvedAt: reports.resolvedAt,
      target: person(target),
      messageBody: reports.messageBody,
      streamTitle: streams.title,
    })
    .from(reports)
    .leftJoin(target, eq(target.id, reports.targetUserId))
    .leftJoin(streams, eq(streams.id, reports.streamId))
    .where(where)
    .orderBy(sql`${reports.id} desc`)
    .limit(limit);
}
