import { z } from 'zod';
import { CHAT_LIMITS, CHAT_REACTIONS } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';
import { streamIdSchema } from '../streams/schemas.ts';

const userId = z.uuid('That is not a user id.');
const messageId = z.number('That is not a message id.').int().positive('That is not a message id.');

/** A chat line or whisper: several lines allowed, direction overrides removed, a zero-width-only line is empty. */
const chatText = (max: number) =>
  plainText({
    label: 'The message',
    min: 1,
    max,
    multiline: true,
    messages: { empty: 'Type a message first.', tooLong: `Messages are at most ${max} characters.` },
  });

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
