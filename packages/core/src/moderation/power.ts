import { channelModerators, moderationLogs, streams, users } from '@app/db/schema';
import { and, eq } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, invalid, notFound } from '../kernel/errors.ts';
import { type Actor, isStaff } from '../kernel/viewer.ts';

/** How the actor stands in a channel: platform staff, its streamer, one of its moderators, or nobody. */
export type ChannelPower = 'staff' | 'streamer' | 'moderator' | null;

export async function channelPower(deps: CoreDeps, actor: Actor, channelId: string): Promise<ChannelPower> {
  if (isStaff(actor.role)) return 'staff';
  if (actor.id === channelId) return 'streamer';
  const [mod] = await deps.db
    .select({ userId: channelModerators.userId })
    .from(channelModerators)
    .where(and(eq(channelModerators.channelId, channelId), eq(channelModerators.userId, actor.id)));
  return mod ? 'moderator' : null;
}

export async function streamChannel(deps: CoreDeps, streamId: string) {
  const [stream] = await deps.db
    .select({ id: streams.id, streamerId: streams.streamerId, settings: streams.settings })
    .from(streams)
    .where(eq(streams.id, streamId));
  if (!stream) throw notFound('That stream');
  return stream;
}

/** The stream, when the actor may moderate it: its streamer, its channel's moderators, and platform staff. */
export async function moderatedStream(deps: CoreDeps, actor: Actor, streamId: string) {
  const stream = await streamChannel(deps, streamId);
  const power = await channelPower(deps, actor, stream.streamerId);
  if (!power) throw forbidden('Only this channel’s streamer and moderators can moderate its chat.');
  return { stream, power };
}

/**
 * Whom the actor may restrict: never themselves, the channel's streamer or platform staff; a channel moderator
 * only by the streamer or staff.
 */
export async function checkTarget(
  deps: CoreDeps,
  actor: Actor,
  power: ChannelPower,
  channelId: string,
  targetId: string,
) {
  if (targetId === actor.id) throw invalid('userId', 'You cannot do that to yourself.');
  const [target] = await deps.db
    .select({ id: users.id, role: users.role, username: users.username })
    .from(users)
    .where(eq(users.id, targetId));
  if (!target) throw notFound('That user');
  if (targetId === channelId) throw forbidden('The streamer cannot be restricted in their own chat.');
  if (isStaff(target.role)) throw forbidden('Platform staff cannot be restricted in a channel.');
  if (power === 'moderator' && (await channelPower(deps, target, channelId)) === 'moderator') {
    throw forbidden('Only the streamer can restrict another moderator.');
  }
  return target;
}

export async function writeLog(
  deps: CoreDeps,
  entry: Omit<typeof moderationLogs.$inferInsert, 'id' | 'createdAt'>,
  executor: Pick<CoreDeps['db'], 'insert'> = deps.db,
) {
  await executor.insert(moderationLogs).values({ ...entry, createdAt: deps.clock.now() });
}
