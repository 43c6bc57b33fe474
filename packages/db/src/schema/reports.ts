import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { messages } from './chat.ts';
import { createdAt } from './columns.ts';
import { streams } from './streams.ts';
import { users } from './users.ts';

/** What a report is about: a person, one chat line, or a stream. */
export const reportKind = pgEnum('report_kind', ['user', 'message', 'stream']);

/** The fixed list a reporter picks from (the web app words each one). */
export const reportReason = pgEnum('report_reason', [
  'spam',
  'harassment',
  'child_safety',
  'violence',
  'self_harm',
  'impersonation',
  'other',
]);

/** `open` waits in the queue; `in_review` is claimed by one staff member; the other two are closed. */
export const reportState = pgEnum('report_state', ['open', 'in_review', 'resolved', 'dismissed']);

/** What staff did about a report; `dismiss` goes with the `dismissed` state, the others with `resolved`. */
export const reportAction = pgEnum('report_action', ['dismiss', 'delete_message', 'timeout', 'platform_ban']);

/**
 * Reports by viewers, worked through by staff. A message report keeps the line's text as it was when reported
 * (`message_body`), so deleting the line does not hide from staff what was reported.
 */
export const reports = pgTable(
  'reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: reportKind('kind').notNull(),
    /** The reported person: the user, the message's sender, or the stream's streamer. */
    targetUserId: uuid('target_user_id').references(() => users.id, { onDelete: 'set null' }),
    messageId: bigint('message_id', { mode: 'number' }).references(() => messages.id, {
      onDelete: 'set null',
    }),
    /** The stream reported, the message's stream, or the room a user was reported from (if any). */
    streamId: uuid('stream_id').references(() => streams.id, { onDelete: 'set null' }),
    messageBody: text('message_body'),
    reason: reportReason('reason').notNull(),
    note: text('note').notNull().default(''),
    state: reportState('state').notNull().default('open'),
    claimedById: uuid('claimed_by_id').references(() => users.id, { onDelete: 'set null' }),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    resolvedById: uuid('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    action: reportAction('action'),
    /** Staff's own words on the outcome; never shown to the reporter. */
    resolutionNote: text('resolution_note'),
    createdAt,
  },
  (t) => [
    /** The queue (open and in review, oldest first) and the history (closed, newest first), by state. */
    index('reports_state_id_idx').on(t.state, t.id),
    index('reports_reporter_id_id_idx').on(t.reporterId, t.id),
    index('reports_target_user_id_idx').on(t.targetUserId),
    /** One report still being handled per reporter and target: a second one is refused, not queued. */
    uniqueIndex('reports_reporter_id_open_target_key')
      .on(
        t.reporterId,
        t.kind,
        sql`(case ${t.kind} when 'message' then ${t.messageId}::text when 'stream' then ${t.streamId}::text else ${t.targetUserId}::text end)`,
      )
      .where(sql`${t.state} in ('open', 'in_review')`),
    check('reports_note_length_chk', sql`char_length(${t.note}) <= 1000`),
    check(
      'reports_closed_chk',
      sql`(${t.state} in ('open', 'in_review')) = (${t.action} is null and ${t.resolvedAt} is null)`,
    ),
  ],
);

export type Report = typeof reports.$inferSelect;
export type NewReport = typeof reports.$inferInsert;
