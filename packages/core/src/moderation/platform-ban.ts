import { moderationLogs, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { announceReadsChanged } from '../events/reads.ts';
import { announceEndedSessions, invalidateUserSessions } from '../identity/session.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, notFound } from '../kernel/errors.ts';

/** Bans a user from the whole platform: every session ends at once and sign-in is refused. */
export async function banUser(
  deps: CoreDeps,
  actorId: string,
  targetUserId: string,
  reason: string,
): Promise<void> {
  if (actorId === targetUserId) throw forbidden('You cannot ban yourself.');
  const ended = await deps.db.transaction(async (tx) => {
    const [target] = await tx.select().from(users).where(eq(users.id, targetUserId)).for('update');
    if (!target) throw notFound('That user');
    if (target.role === 'admin') throw forbidden('Admins cannot be banned; remove the admin role first.');
    if (target.bannedAt) throw new DomainError('CONFLICT', 'That user is already banned.');
    await tx
      .update(users)
      .set({ bannedAt: deps.clock.now(), banReason: reason })
      .where(eq(users.id, targetUserId));
    const sessionIds = await invalidateUserSessions(tx, targetUserId);
    await tx.insert(moderationLogs).values({ actorId, targetUserId, action: 'platform_ban', reason });
    return sessionIds;
  });
  // Every node closes the user's live connections at once.
  await announceEndedSessions(deps, targetUserId, ended, 'banned');
  // A banned streamer's streams leave every listing, and their name the boards' tops.
  await announceReadsChanged(deps, ['streams', 'boards']);
}

export async function unbanUser(deps: CoreDeps, actorId: string, targetUserId: string, reason: string) {
  await deps.db.transaction(async (tx) => {
    const [target] = await tx.select().from(users).where(eq(users.id, targetUserId)).for('update');
    if (!target) throw notFound('That user');
    if (!target.bannedAt) throw new DomainError('CONFLICT', 'That user is not banned.');
    await tx.update(users).set({ bannedAt: null, banReason: null }).where(eq(users.id, targetUserId));
    await tx.insert(moderationLogs).values({ actorId, targetUserId, action: 'platform_unban', reason });
  });
  await announceReadsChanged(deps, ['streams', 'boards']);
}
