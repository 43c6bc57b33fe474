import { channelModerators, users } from '@app/db/schema';
import { and, desc, eq } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid, notFound } from '../kernel/errors.ts';
import type { Actor } from '../kernel/viewer.ts';
import { writeLog } from './power.ts';

/** The channel whose moderators the actor manages: their own, or (staff only) the one named. */
function managedChannel(actor: Actor, channelId: string | undefined): string {
  if (channelId && channelId !== actor.id) {
    if (actor.role !== 'admin') throw forbidden('Only admins can manage another channel’s moderators.');
    return channelId;
  }
  if (actor.role !== 'streamer' && actor.role !== 'admin') {
    throw forbidden('Only streamers can choose moderators for their channel.');
  }
  return actor.id;
}

export async function addChannelModerator(
  deps: CoreDeps,
  actor: Actor,
  input: { userId: string; channelId?: string | undefined },
) {
  const channelId = managedChannel(actor, input.channelId);
  if (input.userId === channelId)
    throw invalid('userId', 'The streamer already moderates their own channel.');
  const [target] = await deps.db
    .select({ id: users.id, bannedAt: users.bannedAt })
    .from(users)
    .where(eq(users.id, input.userId));
  if (!target) throw notFound('That user');
  if (target.bannedAt) throw forbidden('A banned account cannot moderate.');
  await deps.db.transaction(async (tx) => {
    const added = await tx
      .insert(channelModerators)
      .values({ channelId, userId: input.userId, addedById: actor.id, createdAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ userId: channelModerators.userId });
    if (added.length === 0) throw new DomainError('CONFLICT', 'That user already moderates this channel.');
    await writeLog(
      deps,
      { actorId: actor.id, targetUserId: input.userId, channelId, action: 'add_moderator' },
      tx,
    );
  });
  return { channelId, userId: input.userId };
}

export async function removeChannelModerator(
  deps: CoreDeps,
  actor: Actor,
  input: { userId: string; channelId?: string | undefined },
) {
  const channelId = managedChannel(actor, input.channelId);
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(channelModerators)
      .where(and(eq(channelModerators.channelId, channelId), eq(channelModerators.userId, input.userId)))
      .returning({ userId: channelModerators.userId });
    if (removed.length === 0) throw new DomainError('CONFLICT', 'That user does not moderate this channel.');
    await writeLog(
      deps,
      { actorId: actor.id, targetUserId: input.userId, channelId, action: 'remove_moderator' },
      tx,
    );
  });
  return { channelId, userId: input.userId };
}

/** A channel's moderators (anyone may see who moderates a channel). */
export async function channelModeratorList(deps: CoreDeps, channelId: string) {
  return deps.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      avatarUrl: users.avatarUrl,
      since: channelModerators.createdAt,
    })
    .from(channelModerators)
    .innerJoin(users, eq(users.id, channelModerators.userId))
    .where(eq(channelModerators.channelId, channelId))
    .orderBy(desc(channelModerators.createdAt));
}
