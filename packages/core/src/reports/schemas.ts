import { z } from 'zod';
import { CHAT_LIMITS, REPORT_LIMITS, REPORT_REASONS, type ReportReason } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';

const userId = z.uuid('That is not a user id.');
const streamId = z.uuid('That is not a stream id.');
const messageId = z.number('That is not a message id.').int().positive('That is not a message id.');
const reportId = z.number('That is not a report id.').int().positive('That is not a report id.');

const reason = z.enum(
  Object.keys(REPORT_REASONS) as [ReportReason, ...ReportReason[]],
  'Pick a reason from the list.',
);
const note = plainText({
  label: 'The note',
  max: REPORT_LIMITS.noteMax,
  multiline: true,
  messages: { tooLong: `Keep the note to ${REPORT_LIMITS.noteMax} characters or fewer.` },
});

const about = { reason, note: note.optional() };

/** What a viewer reports: a person (from a room, when they saw them there), one chat line, or a stream. */
export const createReportInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('user'), userId, streamId: streamId.optional(), ...about }),
    z.object({ kind: z.literal('message'), messageId, ...about }),
    z.object({ kind: z.literal('stream'), streamId, ...about }),
  ],
  'Say whether you are reporting a person, a message or a stream.',
);
export type CreateReportInput = z.infer<typeof createReportInput>;

const page = {
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(REPORT_LIMITS.pageMax).default(REPORT_LIMITS.pageDefault),
};

export const myReportsInput = z.object(page);
export type MyReportsInput = z.infer<typeof myReportsInput>;

export const REPORT_STATES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
/** The queue holds what is still to be handled, the history what is closed. */
export const QUEUE_STATES: readonly ReportState[] = ['open', 'in_review'];
export const HISTORY_STATES: readonly ReportState[] = ['resolved', 'dismissed'];

export const reportListInput = z
  .object({
    /** `queue`: open and in review, oldest first; `history`: resolved and dismissed, newest first. */
    view: z.enum(['queue', 'history'], 'Pick the queue or the history.').default('queue'),
    state: z.enum(REPORT_STATES, 'Pick a state from the list.').optional(),
    kind: z.enum(['user', 'message', 'stream'], 'Pick people, messages or streams.').optional(),
    ...page,
  })
  .refine(
    (input) => !input.state || (input.view === 'queue' ? QUEUE_STATES : HISTORY_STATES).includes(input.state),
    'The queue holds open and in-review reports; the history holds resolved and dismissed ones.',
  );
export type ReportListInput = z.infer<typeof reportListInput>;

export const claimReportInput = z.object({
  reportId,
  /** Admins: take a report over from the staff member reviewing it. */
  takeOver: z.boolean().default(false),
});
export type ClaimReportInput = z.infer<typeof claimReportInput>;

export const resolveReportInput = z.object({
  reportId,
  action: z.enum(
    ['dismiss', 'delete_message', 'timeout', 'platform_ban'],
    'Pick what to do: dismiss, delete the message, time out or ban.',
  ),
  /** For `timeout`: how long, within the limits of a room timeout. */
  timeoutSeconds: z
    .number('Pick how long the timeout lasts.')
    .int('A timeout is a whole number of seconds.')
    .min(CHAT_LIMITS.timeoutSecondsMin, 'A timeout lasts at least 1 second.')
    .max(CHAT_LIMITS.timeoutSecondsMax, 'A timeout lasts at most 14 days.')
    .optional(),
  note: plainText({
    label: 'The note',
    max: REPORT_LIMITS.resolutionNoteMax,
    multiline: true,
    messages: { tooLong: `Keep the note to ${REPORT_LIMITS.resolutionNoteMax} characters or fewer.` },
  }).optional(),
});
export type ResolveReportInput = z.infer<typeof resolveReportInput>;
