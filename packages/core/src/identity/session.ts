import type { Executor } from '@app/db/client';
import { type Session, sessions, type User, users } from '@app/db/schema';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Clock } from '../kernel/deps.ts';

export { SESSION_COOKIE_NAME } from '../kernel/session-cookie.ts';
/** A session unused for this long is gone. */
export const SESSION_INACTIVITY_SECONDS = 10 * 24 * 60 * 60;
/** How often a used session's `last_verified_at` is refreshed (a write per hour, not per request). */
export const SESSION_ACTIVITY_CHECK_SECONDS = 60 * 60;

export type SessionMeta = { ip?: string | null; userAgent?: string | null };
export type ValidSession = { session: Session; user: User };

function randomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
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
const lookups = new WeakMap<object, ReturnType<typeof buildSessionLookup>>();

function buildSessionLookup(db: Executor) {
  return db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .limit(1)
    .prepare('session_by_id');
}

function sessionLookup(db: Executor) {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = buildSessionLookup(db);
    lookups.set(db, lookup);
  }
  return lookup;
}

/** The session and user behind a cookie token, or null when it is malformed, unknown, expired or banned. */
export async function validateSessionToken(
  db: Executor,
  clock: Clock,
  token: string,
): Promise<ValidSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const [row] = await sessionLookup(db).execute({ id });
  if (!row) return null;
  const given = new TextEncoder().encode(hashSecret(secret));
  const stored = new TextEncoder().encode(row.session.secretHash);
  if (!constantTimeEqual(given, stored)) return null;
  const now = clock.now().getTime();
  const idleMs = now - row.session.lastVerifiedAt.getTime();
  if (idleMs >= SESSION_INACTIVITY_SECONDS * 1000 || row.user.bannedAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (idleMs >= SESSION_ACTIVITY_CHECK_SECONDS * 1000) {
    const lastVerifiedAt = new Date(now);
    await db.update(sessions).set({ lastVerifiedAt }).where(eq(sessions.id, id));
    row.session.lastVerifiedAt = lastVerifiedAt;
  }
  return row;
}

/** When the cookie should expire: the session's inactivity deadline. */
export function sessionExpiresAt(session: Pick<Session, 'lastVerifiedAt'>): Date {
  return new Date(session.lastVerifiedAt.getTime() + SESSION_INACTIVITY_SECONDS * 1000);
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `exceptSessionId`. */
export async function invalidateUserSessions(db: Executor, userId: string, exceptSessionId?: string) {
  await db
    .delete(sessions)
    .where(
      exceptSessionId
        ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
        : eq(sessions.userId, userId),
    );
}
