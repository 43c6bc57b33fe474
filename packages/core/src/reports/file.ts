import { uniqueViolation } from '@app/db/engine';
import { messages, reports, streams, users } from '@app/db/schema';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, invalid, notFound } from '../kernel/errors.ts';
import { checkLimit } from '../kernel/throttle.ts';
import type { Actor } from '../kernel/viewer.ts';
import { type CreateReportInput, type MyReportsInput, QUEUE_STATES } from './schemas.ts';
import { ownReportRows } from './views.ts';

const ALREADY_REPORTED =
  'You have already reported this. A moderator will look at it; you can follow it under Settings → My reports.';

type Target = Pick<
  typeof reports.$inferInsert,
  'kind' | 'targetUserId' | 'messageId' | 'streamId' | 'messageBody'
>;

/** What the report is about, checked: it exists, it is the reporter's to report, and is not theirs. */
async function reportTarget(deps: CoreDeps, actor: Actor, input: CreateReportInput): Promise<Target> {
  if (input.kind === 'user') {
    if (input.userId === actor.id) throw invalid('userId', 'You cannot report yourself.');
    const [user] = await deps.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) throw notFound('That user');
    if (input.streamId) await existingStream(deps, input.streamId);
    return { kind: 'user', targetUserId: user.id, streamId: input.streamId ?? null };
  }
  if (input.kind === 'message') {
    const [message] = await deps.db
      .select({
        id: messages.id,
        kind: messages.kind,
        streamId: messages.streamId,
        senderId: messages.senderId,
        body: messages.body,
        deletedAt: messages.deletedAt,
      })
      .from(messages)
      .where(eq(messages.id, input.messageId));
    // Whispers are private to two people, and system lines have no author: neither is a room's chat line.
    if (!message?.streamId || message.kind !== 'chat') throw notFound('That chat message');
    if (message.senderId === actor.id) throw invalid('messageId', 'You cannot report your own message.');
    if (message.deletedAt) throw new DomainError('CONFLICT', 'A moderator has already removed that message.');
    return {
      kind: 'message',
      targetUserId: message.senderId,
      messageId: message.id,
      streamId: message.streamId,
      messageBody: message.body,
    };
  }
  const stream = await existingStream(deps, input.streamId);
  if (stream.streamerId === actor.id) throw invalid('streamId', 'You cannot report your own stream.');
  return { kind: 'stream', targetUserId: stream.streamerId, streamId: stream.id };
}

async function existingStream(deps: CoreDeps, streamId: string) {
  const [stream] = await deps.db
    .select({ id: streams.id, streamerId: streams.streamerId })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  return stream;
}

/** The reporter's report about the same target that is still being handled, if any. */
async function openReportAbout(deps: CoreDeps, reporterId: string, target: Target) {
  const same =
    target.kind === 'message'
      ? eq(reports.messageId, target.messageId!)
      : target.kind === 'stream'
        ? eq(reports.streamId, target.streamId!)
        : eq(reports.targetUserId, target.targetUserId!);
  const [row] = await deps.db
    .select({ id: reports.id })
    .from(reports)
    .where(
      and(
        eq(reports.reporterId, reporterId),
        eq(reports.kind, target.kind),
        same,
        inArray(reports.state, [...QUEUE_STATES]),
      ),
    );
  return row ?? null;
}

/**
 * A viewer reports a person, a chat line or a stream. One report per reporter and target is handled at a time: a
 * second one while the first is open or in review is refused with a sentence, and a unique index backs that up
 * against two at once.
 */
export async function createReport(deps: CoreDeps, actor: Actor, input: CreateReportInput) {
  const target = await reportTarget(deps, actor, input);
  if (await openReportAbout(deps, actor.id, target)) throw new DomainError('CONFLICT', ALREADY_REPORTED);
  // Counted only for reports that would be filed: a mistyped or repeated one does not use up the allowance.
  await checkLimit(
    deps.limiters.reportByUser,
    actor.id,
    (wait) => `You have sent a lot of reports in a short time. Wait ${wait}, then try again.`,
  );
  try {
    const [row] = await deps.db
      .insert(reports)
      .values({
        ...target,
        reporterId: actor.id,
        reason: input.reason,
        note: input.note ?? '',
        createdAt: deps.clock.now(),
      })
      .returning({ id: reports.id, state: reports.state, createdAt: reports.createdAt });
    return row!;
  } catch (error) {
    if (uniqueViolation(error) !== null) throw new DomainError('CONFLICT', ALREADY_REPORTED);
    throw error;
  }
}

/** The signed-in person's own reports, newest first, with where each stands. */
export async function myReports(deps: CoreDeps, actor: Actor, input: MyReportsInput) {
  const rows = await ownReportRows(
    deps,
    and(eq(reports.reporterId, actor.id), input.cursor ? lt(reports.id, input.cursor) : undefined),
    input.limit + 1,
  );
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
