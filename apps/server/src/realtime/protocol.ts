/**
 * tRPC v11's websocket wire protocol as tRPC's own `wsLink` speaks it, built on `@trpc/server`'s exported parsing
 * and serialization: the frames we send, the calls we accept, and the limits on what a client may send.
 */
import { type ApiContext, appRouter, MAX_BATCH_CALLS } from '@app/api';
import { TRPCError } from '@trpc/server';
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  parseTRPCMessage,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';
import type { ServerWebSocket } from 'bun';
import { describeFailure } from '../failure.ts';
import type { Logger } from '../logger.ts';

/** Incoming frames above this size are refused (a chat message is at most a few KB). */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Open subscriptions per socket (a tab needs a handful). */
export const MAX_SUBSCRIPTIONS = 32;

export type RequestId = number | string;
export type CallType = 'query' | 'mutation' | 'subscription';
/** What an error frame says about the call that failed. */
export type FailedCall = { type: CallType | 'unknown'; path?: string; input?: unknown };

const config = appRouter._def._config;

const frame = (response: Parameters<typeof transformTRPCResponse>[1]) =>
  JSON.stringify(transformTRPCResponse(config, response));

/** A query's or mutation's result, or one untracked item of a subscription. */
export const dataFrame = (id: RequestId, data: unknown) =>
  frame({ id, result: { type: 'data', data } } as never);

/** One `tracked()` item of a subscription: a client that reconnects resumes after `eventId`. */
export const trackedFrame = (id: RequestId, eventId: string, data: unknown) =>
  frame({ id, result: { type: 'data', id: eventId, data: { id: eventId, data } } } as never);

export const startedFrame = (id: RequestId) => frame({ id, result: { type: 'started' } } as never);

export const stoppedFrame = (id: RequestId) => frame({ id, result: { type: 'stopped' } } as never);

/** Sends a frame to a socket that is still open (a closed one may still have calls in flight). */
export function send(ws: ServerWebSocket<{ open: boolean }>, bytes: string) {
  if (ws.data.open) ws.send(bytes);
}

/** The error frame for a failed call; failures that are not the caller's fault are logged. */
export function errorFrame(
  id: RequestId | null,
  cause: unknown,
  call: FailedCall,
  ctx: ApiContext | undefined,
  log: Logger,
) {
  const error = getTRPCErrorFromUnknown(cause);
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    log.error('ws procedure failed', { path: call.path, ...describeFailure(error) });
  }
  const shape = getErrorShape({ config, error, type: call.type, path: call.path, input: call.input, ctx });
  return frame({ id, error: shape } as never);
}

/** A frame's calls, or the reason the whole frame is refused. */
export type Incoming = { calls: unknown[] } | { refused: TRPCError };

/** Splits one incoming text frame into its calls (a frame holds one call or a batch). */
export function parseFrame(text: string): Incoming {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { refused: new TRPCError({ code: 'PARSE_ERROR', message: 'Messages must be JSON.' }) };
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  if (calls.length > MAX_BATCH_CALLS) {
    return {
      refused: new TRPCError({
        code: 'BAD_REQUEST',
        message: `At most ${MAX_BATCH_CALLS} calls per message.`,
      }),
    };
  }
  return { calls };
}

export type Call =
  | { kind: 'stop'; id: RequestId }
  | { kind: 'call'; id: RequestId; type: CallType; path: string; input: unknown }
  | { kind: 'refused'; id: RequestId | null; error: TRPCError };

/**
 * Reads one call. A subscription's `lastEventId` (sent by `wsLink` on reconnect) is folded into its input, where
 * our procedures read it.
 */
export function parseCall(raw: unknown): Call {
  const id = (raw as { id?: unknown } | null)?.id;
  if ((typeof id !== 'number' && typeof id !== 'string') || id === '') {
    return {
      kind: 'refused',
      id: null,
      error: new TRPCError({ code: 'BAD_REQUEST', message: 'A request id is required.' }),
    };
  }
  let message: ReturnType<typeof parseTRPCMessage>;
  try {
    message = parseTRPCMessage(raw, config.transformer);
  } catch (cause) {
    return {
      kind: 'refused',
      id,
      error: new TRPCError({ code: 'PARSE_ERROR', message: 'That message is not a tRPC call.', cause }),
    };
  }
  if (message.method === 'subscription.stop') return { kind: 'stop', id };
  const { path, lastEventId } = message.params;
  let input = message.params.input;
  if (lastEventId !== undefined && lastEventId !== null) {
    input = input && typeof input === 'object' ? { ...input, lastEventId } : { lastEventId };
  }
  return { kind: 'call', id, type: message.method, path, input };
}
