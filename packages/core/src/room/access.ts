import { channelBans, streams } from '@app/db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import { chatHistory } from '../chat/history.ts';
import type { ChatHistoryInput } from '../chat/schemas.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, notFound } from '../kernel/errors.ts';
import type { Viewer } from '../kernel/viewer.ts';
import { gateFor } from '../streams/views.ts';

/** Who may read a room's chat: anyone who may see the stream (drafts only their owner; adult streams gated). */
export async function readableStream(deps: CoreDeps, viewer: Viewer, streamId: string) {
  const [stream] = await deps.db
    .select({
      id: streams.id,
      streamerId: streams.streamerId,
      status: streams.status,
      nsfw: streams.nsfw,
      settings: streams.settings,
      startedAt: streams.startedAt,
      endedAt: streams.endedAt,
      endedReason: streams.endedReason,
    })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream || (stream.status === 'draft' && stream.streamerId !== viewer?.id))
    throw notFound('That stream');
  const gate = gateFor(viewer, stream.nsfw);
  if (gate === 'sign_in')
    throw forbidden('This stream is for adults. Sign in and verify your age to see its chat.');
  if (gate === 'verify_age') throw forbidden('This stream is for adults. Verify your age to see its chat.');
  if (viewer) {
    const [ban] = await deps.db
      .select({ userId: channelBans.userId })
      .from(channelBans)
      .where(
        and(
          eq(channelBans.channelId, stream.streamerId),
          eq(channelBans.userId, viewer.id),
          isNull(channelBans.expiresAt),
        ),
      );
    if (ban) throw forbidden('The streamer has banned you from their channel.');
  }
  return stream;
}

/** A page of a room's chat for someone who may see the stream. */
export async function roomChatHistory(deps: CoreDeps, viewer: Viewer, input: ChatHistoryInput) {
  return chatHistory(deps, await readableStream(deps, viewer, input.streamId), input);
}
