import { z } from 'zod';
import { plainText } from '../kernel/text.ts';
import { GOAL_QUEUE_MAX } from './goals-state.ts';

/** What a goal may be: a short title, a target a stream can reach, a deadline within a month. */
export const GOAL_LIMITS = {
  titleMax: 80,
  targetTokensMax: 10_000_000,
  deadlineDaysMax: 30,
  queueMax: GOAL_QUEUE_MAX,
} as const;

const title = plainText({
  label: 'The goal’s title',
  min: 1,
  max: GOAL_LIMITS.titleMax,
  messages: {
    empty: 'Give the goal a title.',
    tooLong: `A goal’s title is at most ${GOAL_LIMITS.titleMax} characters.`,
  },
});

const targetTokens = z
  .number('Set the goal’s target as a number of tokens.')
  .int('Set the goal’s target in whole tokens.')
  .min(1, 'Set the goal’s target to at least 1 token.')
  .max(
    GOAL_LIMITS.targetTokensMax,
    `A goal’s target is at most ${GOAL_LIMITS.targetTokensMax.toLocaleString('en-US')} tokens.`,
  );

/** A moment (a Date, or an ISO string); whether it is in the future is checked against the clock in core. */
const deadlineAt = z.coerce.date('Set the deadline as a date and time.');

const goalId = z.uuid('That is not a goal id.');

export const createGoalInput = z.object({
  title,
  targetTokens,
  deadlineAt: deadlineAt.nullish(),
});
export type CreateGoalInput = z.infer<typeof createGoalInput>;

export const updateGoalInput = z.object({
  goalId,
  title: title.optional(),
  targetTokens: targetTokens.optional(),
  /** null removes the deadline. */
  deadlineAt: deadlineAt.nullish(),
});
export type UpdateGoalInput = z.infer<typeof updateGoalInput>;

export const goalIdInput = z.object({ goalId });

export const listGoalsInput = z.object({ streamId: z.uuid('That is not a stream id.') });

export const reorderGoalsInput = z.object({
  /** The stream's queued goals in the order they should start. */
  goalIds: z
    .array(goalId)
    .min(1, 'Name the queued goals in their new order.')
    .max(GOAL_LIMITS.queueMax, `The queue holds at most ${GOAL_LIMITS.queueMax} goals.`),
});
export type ReorderGoalsInput = z.infer<typeof reorderGoalsInput>;
