import { z } from 'zod';
import { CHAT_LIMITS, CHAT_REACTIONS } from '../kernel/limits.ts';
import { STREAM_LIMITS, streamIdSchema } from '../streams/schemas.ts';

export { CHAT_LIMITS, CHAT_REACTIONS, type ChatReaction } from '../kernel/limits.ts';

const userId = z.uuid('That is not a user id.');
const messageId = z.number('That is not a message id.').int().positive('That is not a message id.');

/** Control characters other than tab and newline (they can hide text or break rendering). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f) return true;
  }
  return false;
}

/** Text as written (no rewriting), trimmed at the ends; control characters other than newlines refused. */
const chatText = (max: number) =>
  z
    .string('Type a message.')
    .trim()
    .min(1, 'Type a message first.')
    .max(max, `Messages are at most ${max} characters.`)
    .refine((text) => !hasControlCharacters(text), 'Messages cannot contain control characters.');

export const sendChatInput = z.object({
  streamId: streamIdSchema,
  text: chatText(CHAT_LIMITS.textMax),
  /** The sender's own id for this message (a retry with the same id is stored once). */
  clientMessageId: z
    .string('A client message id is required.')
    .min(8, 'The client message id is too short.')
    .max(64, 'The client message id is too long.')
    .regex(/^[\w-]+$/, 'The client message id can only use letters, digits, - and _.'),
});
export type SendChatInput = z.infer<typeof sendChatInput>;

export const chatHistoryInput = z.object({
  streamId: streamIdSchema,
  /** Messages older than this message id; none for the newest. */
  cursor: messageId.nullish(),
  limit: z.number().int().min(1).max(CHAT_LIMITS.historyMax).default(CHAT_LIMITS.historyDefault),
});
export type ChatHistoryInput = z.infer<typeof chatHistoryInput>;

export const reactInput = z.object({
  messageId,
  emoji: z.enum(CHAT_REACTIONS, `Pick one of ${CHAT_REACTIONS.join(' ')}.`),
});
export type ReactInput = z.infer<typeof reactInput>;

export const onStreamInput = z.object({
  streamId: streamIdSchema,
  /** The last event id seen: events after it are replayed before live ones. */
  lastEventId: z
    .string()
    .regex(/^\d{1,18}$/, 'That is not an event id.')
    .nullish(),
});
export type OnStreamInput = z.infer<typeof onStreamInput>;

export const whisperInput = z.object({
  toUserId: userId,
  text: chatText(CHAT_LIMITS.whisperMax),
});
export type WhisperInput = z.infer<typeof whisperInput>;

export const threadInput = z.object({
  userId,
  /** Whispers older than this message id; none for the newest. */
  cursor: messageId.nullish(),
  limit: z.number().int().min(1).max(CHAT_LIMITS.historyMax).default(CHAT_LIMITS.historyDefault),
});
export type ThreadInput = z.infer<typeof threadInput>;

const reason = z
  .string()
  .trim()
  .max(CHAT_LIMITS.reasonMax, `A reason is at most ${CHAT_LIMITS.reasonMax} characters.`);

export const deleteMessageInput = z.object({ messageId, reason: reason.optional() });
export type DeleteMessageInput = z.infer<typeof deleteMessageInput>;

export const timeoutInput = z.object({
  streamId: streamIdSchema,
  userId,
  seconds: z
    .number('Pick how long the timeout lasts.')
    .int('A timeout is a whole number of seconds.')
    .min(CHAT_LIMITS.timeoutSecondsMin, 'A timeout lasts at least 1 second.')
    .max(CHAT_LIMITS.timeoutSecondsMax, 'A timeout lasts at most 14 days.'),
  reason: reason.min(1, 'Give a reason for the timeout.'),
});
export type TimeoutInput = z.infer<typeof timeoutInput>;

export const roomBanInput = z.object({
  streamId: streamIdSchema,
  userId,
  reason: reason.min(1, 'Give a reason for the ban.'),
});
export type RoomBanInput = z.infer<typeof roomBanInput>;

export const roomUnbanInput = z.object({ streamId: streamIdSchema, userId, reason: reason.optional() });
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

export const moderationLogInput = z.object({
  /** A channel's log (the streamer's user id); staff may leave it out for every channel. */
  channelId: userId.optional(),
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ModerationLogInput = z.infer<typeof moderationLogInput>;
