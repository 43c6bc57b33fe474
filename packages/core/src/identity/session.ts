import { createHash, timingSafeEqual } from 'node:crypto';
import type { Executor } from '@app/db/client';
import { type Session, sessions, type User, users } from '@app/db/schema';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { publishToUser } from '../events/user.ts';
import type { Clock, CoreDeps, SessionConfig } from '../kernel/deps.ts';
import { builtOnce } from '../kernel/prepared.ts';

export { SESSION_COOKIE_NAME } from '../kernel/session-cookie.ts';
/** A session unused for this long is gone (the default of `SESSION_INACTIVITY_SECONDS`). */
export const SESSION_INACTIVITY_SECONDS = 10 * 24 * 60 * 60;
export const DEFAULT_SESSIONS: SessionConfig = { inactivitySeconds: SESSION_INACTIVITY_SECONDS };
/**
 * How often a used session's `last_verified_at` is refreshed: a write per hour, not per request, or at half the
 * lifetime when sessions live shorter than two hours, so that use still keeps them alive.
 */
export function activityCheckSeconds(config: SessionConfig): number {
  return Math.min(60 * 60, config.inactivitySeconds / 2);
}

export type SessionMeta = { ip?: string | null; userAgent?: string | null };
export type ValidSession = { session: Session; user: User };

function randomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** SHA-256 in hex, natively: every signed-in request hashes its secret, and the JS version took ~9 % of one. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a session and returns the token for the cookie: `<id>.<secret>`; only the secret's hash is kept. */
export async function createSession(
  db: Executor,
  clock: Clock,
  userId: string,
  meta: SessionMeta = {},
): Promise<{ token: string; session: Session }> {
  const id = randomString();
  const secret = randomString();
  const [session] = await db
    .insert(sessions)
    .values({
      id,
      userId,
      secretHash: hashSecret(secret),
      lastVerifiedAt: clock.now(),
      createdAt: clock.now(),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    })
    .returning();
  return { token: `${id}.${secret}`, session: session! };
}

/** Every signed-in request runs this lookup: built once per database, not once per request. */
const sessionLookup = builtOnce((db) =>
  db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .limit(1)
    .prepare('session_by_id'),
);

/** The session and user behind a cookie token, or null when it is malformed, unknown, expired or banned. */
export async function validateSessionToken(
  db: Executor,
  clock: Clock,
  token: string,
  config: SessionConfig = DEFAULT_SESSIONS,
): Promise<ValidSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const [row] = await sessionLookup(db).execute({ id });
  if (!row) return null;
  const given = Buffer.from(hashSecret(secret));
  const stored = Buffer.from(row.session.secretHash);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  const now = clock.now().getTime();
  const idleMs = now - row.session.lastVerifiedAt.getTime();
  if (idleMs >= config.inactivitySeconds * 1000 || row.user.bannedAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (idleMs >= activityCheckSeconds(config) * 1000) {
    const lastVerifiedAt = new Date(now);
    await db.update(sessions).set({ lastVerifiedAt }).where(eq(sessions.id, id));
    row.session.lastVerifiedAt = lastVerifiedAt;
  }
  return row;
}

/**
 * The sessions among `ids` that are still valid (not deleted, not expired, user not banned), with their users as
 * they are now, read in one query; a used one is refreshed as `validateSessionToken` does. For sockets, whose
 * token was proved when they opened and whose session is checked again for every call.
 */
export async function currentSessions(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'sessions'>,
  ids: readonly string[],
): Promise<Map<string, ValidSession>> {
  const valid = new Map<string, ValidSession>();
  if (ids.length === 0) return valid;
  // One session (a socket's calls spaced out) takes the prepared lookup every HTTP request uses.
  const rows =
    ids.length === 1
      ? await sessionLookup(deps.db).execute({ id: ids[0] })
      : await deps.db
          .select({ session: sessions, user: users })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(inArray(sessions.id, [...ids]));
  const now = deps.clock.now().getTime();
  const refresh: string[] = [];
  for (const row of rows) {
    const idleMs = now - row.session.lastVerifiedAt.getTime();
    if (idleMs >= deps.sessions.inactivitySeconds * 1000 || row.user.bannedAt) continue;
    if (idleMs >= activityCheckSeconds(deps.sessions) * 1000) {
      row.session.lastVerifiedAt = new Date(now);
      refresh.push(row.session.id);
    }
    valid.set(row.session.id, row);
  }
  if (refresh.length > 0) {
    await deps.db
      .update(sessions)
      .set({ lastVerifiedAt: new Date(now) })
      .where(inArray(sessions.id, refresh));
  }
  return valid;
}

/** When the session expires unless it is used before: its inactivity deadline (also the cookie's expiry). */
export function sessionExpiresAt(
  session: Pick<Session, 'lastVerifiedAt'>,
  config: SessionConfig = DEFAULT_SESSIONS,
): Date {
  return new Date(session.lastVerifiedAt.getTime() + config.inactivitySeconds * 1000);
}

/**
 * When a session already proved by its token expires, read without refreshing it (looking is not using), or null
 * when it has ended (deleted, or its user banned). A socket re-checks its session with this at the deadline.
 */
export async function sessionDeadline(
  deps: Pick<CoreDeps, 'db' | 'sessions'>,
  sessionId: string,
): Promise<Date | null> {
  const [row] = await sessionLookup(deps.db).execute({ id: sessionId });
  if (!row || row.user.bannedAt) return null;
  return sessionExpiresAt(row.session, deps.sessions);
}

/** Why sessions ended, as the `session.ended` event says. */
export type SessionEndReason =
  | 'logout'
  | 'password_changed'
  | 'signed_out_everywhere'
  | 'banned'
  | 'replaced';

/** Deletes one session; returns its id when it existed. */
export async function invalidateSession(db: Executor, sessionId: string): Promise<string[]> {
  const ended = await db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ id: sessions.id });
  return ended.map((row) => row.id);
}

/** Deletes every session of a user, or every one but `exceptSessionId`; returns the ids that ended. */
export async function invalidateUserSessions(
  db: Executor,
  userId: string,
  exceptSessionId?: string,
): Promise<string[]> {
  const ended = await db
    .delete(sessions)
    .where(
      exceptSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
        : eq(sessions.userId, userId),
    )
    .returning({ id: sessions.id });
  return ended.map((row) => row.id);
}

/**
 * Tells every node, after commit, that these sessions ended: each closes their sockets (code 4401) and stops
 * serving their subscriptions. Every path that deletes sessions calls this.
 */
export async function announceEndedSessions(
  deps: Pick<CoreDeps, 'bus'>,
  userId: string,
  sessionIds: string[],
  reason: SessionEndReason,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await publishToUser(deps.bus, userId, { type: 'session.ended', sessionIds, reason });
}

/** Logout: ends this one session everywhere. */
export async function endSession(
  deps: CoreDeps,
  userId: string,
  sessionId: string,
  reason: SessionEndReason,
) {
  await announceEndedSessions(deps, userId, await invalidateSession(deps.db, sessionId), reason);
}

/** Sign out everywhere: ends every session of the user, this one included. */
export async function endAllSessions(deps: CoreDeps, userId: string) {
  const ended = await invalidateUserSessions(deps.db, userId);
  await announceEndedSessions(deps, userId, ended, 'signed_out_everywhere');
}
