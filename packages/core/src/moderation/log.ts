import { moderationLogs } from '@app/db/schema';
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden } from '../kernel/errors.ts';
import { type Actor, isStaff } from '../kernel/viewer.ts';
import { channelPower, writeLog } from './power.ts';
import type { ModerationLogInput } from './schemas.ts';

/** A user's id by username, as a subquery (no row: the filter matches nothing). */
const idOfUsername = (username: string) => sql<string>`(select id from users where username = ${username})`;

/**
 * Who did what to whom, and why: a channel's log for its streamer and moderators; every channel's for staff.
 *
 * An entry about an anonymous tip's line (its deletion, say) names its target only to platform admins: to
 * everyone else the target is anonymous, with no id or name, as the tip was to the room. An admin's page that
 * shows such senders is itself logged (`reveal_anonymous_tipper`, with the tip lines' message ids and no user, so
 * reading it reveals nobody).
 */
export async function moderationLog(deps: CoreDeps, actor: Actor, input: ModerationLogInput) {
  if (input.channelId) {
    if (!(await channelPower(deps, actor, input.channelId))) {
      throw forbidden('Only this channel’s streamer and moderators can read its moderation log.');
    }
  } else if (!isStaff(actor.role)) {
    if (actor.role !== 'streamer') throw forbidden('Name the channel whose moderation log you want to read.');
  }
  const channelId = input.channelId ?? (isStaff(actor.role) ? undefined : actor.id);
  const actorUser = sql<string | null>`(select username from users where id = ${moderationLogs.actorId})`;
  const targetUser = sql<
    string | null
  >`(select username from users where id = ${moderationLogs.targetUserId})`;
  const anonymousTip = sql<boolean>`exists (select 1 from messages m where m.id = ${moderationLogs.messageId}
    and m.kind = 'tip' and coalesce((m.metadata->>'anonymous')::boolean, false))`;
  const rows = await deps.db
    .select({
      id: moderationLogs.id,
      action: moderationLogs.action,
      reason: moderationLogs.reason,
      durationSeconds: moderationLogs.durationSeconds,
      channelId: moderationLogs.channelId,
      streamId: moderationLogs.streamId,
      messageId: moderationLogs.messageId,
      metadata: moderationLogs.metadata,
      createdAt: moderationLogs.createdAt,
      actorId: moderationLogs.actorId,
      actorUsername: actorUser,
      targetUserId: moderationLogs.targetUserId,
      targetUsername: targetUser,
      targetAnonymous: anonymousTip,
    })
    .from(moderationLogs)
    .where(
      and(
        channelId ? eq(moderationLogs.channelId, channelId) : undefined,
        input.actions?.length ? inArray(moderationLogs.action, input.actions) : undefined,
        input.actor ? eq(moderationLogs.actorId, idOfUsername(input.actor)) : undefined,
        input.target ? eq(moderationLogs.targetUserId, idOfUsername(input.target)) : undefined,
        input.from ? gte(moderationLogs.createdAt, input.from) : undefined,
        input.to ? lt(moderationLogs.createdAt, input.to) : undefined,
        input.cursor ? lt(moderationLogs.id, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(moderationLogs.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const seesAnonymous = actor.role === 'admin';
  const items = page.map((row) =>
    row.targetAnonymous && !seesAnonymous ? { ...row, targetUserId: null, targetUsername: null } : row,
  );
  const revealed = page.filter((row) => row.targetAnonymous && row.targetUserId && seesAnonymous);
  if (revealed.length > 0) {
    await writeLog(deps, {
      actorId: actor.id,
      action: 'reveal_anonymous_tipper',
      metadata: { messageIds: revealed.map((row) => row.messageId) },
    });
  }
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
