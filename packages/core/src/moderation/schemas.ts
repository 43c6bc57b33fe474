import { moderationAction } from '@app/db/schema';
import { z } from 'zod';
import { CHAT_LIMITS, STREAM_LIMITS } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';
import { streamIdSchema } from '../streams/schemas.ts';

const userId = z.uuid('That is not a user id.');
/** "Remove their recent messages": the user's chat lines in the stream of the last `purgeRecentSeconds`. */
const removeRecent = z.boolean('Say whether to remove their recent messages.').optional();
const messageId = z.number('That is not a message id.').int().positive('That is not a message id.');

/** A moderator's reason, required (with `empty` as the prompt) or optional. */
const reason = (empty?: string) =>
  plainText({
    label: 'The reason',
    min: empty ? 1 : 0,
    max: CHAT_LIMITS.reasonMax,
    messages: {
      ...(empty ? { empty } : {}),
      tooLong: `A reason is at most ${CHAT_LIMITS.reasonMax} characters.`,
    },
  });

export const deleteMessageInput = z.object({ messageId, reason: reason().optional() });
export type DeleteMessageInput = z.infer<typeof deleteMessageInput>;

export const timeoutInput = z.object({
  streamId: streamIdSchema,
  userId,
  seconds: z
    .number('Pick how long the timeout lasts.')
    .int('A timeout is a whole number of seconds.')
    .min(CHAT_LIMITS.timeoutSecondsMin, 'A timeout lasts at least 1 second.')
    .max(CHAT_LIMITS.timeoutSecondsMax, 'A timeout lasts at most 14 days.'),
  reason: reason('Give a reason for the timeout.'),
  removeRecent,
});
export type TimeoutInput = z.infer<typeof timeoutInput>;

export const roomBanInput = z.object({
  streamId: streamIdSchema,
  userId,
  reason: reason('Give a reason for the ban.'),
  removeRecent,
});
export type RoomBanInput = z.infer<typeof roomBanInput>;

export const roomUnbanInput = z.object({ streamId: streamIdSchema, userId, reason: reason().optional() });
export type RoomUnbanInput = z.infer<typeof roomUnbanInput>;

export const chatModeInput = z
  .object({
    streamId: streamIdSchema,
    chatMode: z.enum(['everyone', 'followers', 'verified'], 'Pick who may chat.').optional(),
    slowModeSeconds: z
      .number()
      .int()
      .min(0, 'Slow mode cannot be negative.')
      .max(
        STREAM_LIMITS.slowModeSecondsMax,
        `Slow mode is at most ${STREAM_LIMITS.slowModeSecondsMax} seconds.`,
      )
      .optional(),
    linksAllowed: z.boolean().optional(),
  })
  .refine(
    (input) =>
      input.chatMode !== undefined || input.slowModeSeconds !== undefined || input.linksAllowed !== undefined,
    'Change at least one chat setting.',
  );
export type ChatModeInput = z.infer<typeof chatModeInput>;

export const moderatorInput = z.object({ userId });
export type ModeratorInput = z.infer<typeof moderatorInput>;

/** Every kind of moderation log entry (`moderation_logs.action`). */
export const MODERATION_ACTIONS = moderationAction.enumValues;

const username = z
  .string()
  .trim()
  .min(1, 'Enter a username.')
  .max(40, 'A username is at most 40 characters.')
  .transform((value) => value.replace(/^@/, '').toLowerCase());

export const moderationLogInput = z
  .object({
    /** A channel's log (the streamer's user id); staff may leave it out for every channel. */
    channelId: userId.optional(),
    /** Only these kinds of action. */
    actions: z
      .array(z.enum(MODERATION_ACTIONS, 'That is not a kind of moderation action.'))
      .max(MODERATION_ACTIONS.length)
      .optional(),
    /** Only what this person did, or what was done to them (usernames). */
    actor: username.optional(),
    target: username.optional(),
    /** Only entries at or after `from` and before `to`. */
    from: z.coerce.date('That is not a date.').optional(),
    to: z.coerce.date('That is not a date.').optional(),
    cursor: z.number().int().positive().nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: 'The start of the period must be before its end.',
    path: ['to'],
  });
export type ModerationLogInput = z.infer<typeof moderationLogInput>;
