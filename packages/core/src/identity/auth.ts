import { uniqueViolation } from '@app/db/engine';
import { userLevels, users } from '@app/db/schema';
import { eq, or } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { DomainError, forbidden, invalid } from '../kernel/errors.ts';
import {
  ageOn,
  type BecomeStreamerInput,
  type ChangePasswordInput,
  LIMITS,
  type LoginInput,
  type RegisterInput,
  type VerifyAgeInput,
} from './schemas.ts';
import { announceEndedSessions, createSession, invalidateUserSessions, type SessionMeta } from './session.ts';
import { loadMe, type Me } from './user-views.ts';

export type SignedIn = { me: Me; token: string; session: { id: string; lastVerifiedAt: Date } };

const WRONG_CREDENTIALS = 'Wrong username or password.';
/**
 * Verified against when the login names no account, so both cases take as long: an argon2id hash with the
 * parameters `Bun.password.hash` gives every account (of a password nobody has). It is written out rather than
 * computed at start, because one argon2id hash takes 64 MiB for its duration, which stayed in the server's
 * peak memory for the whole process.
 */
export const UNKNOWN_ACCOUNT_HASH =
  '$argon2id$v=19$m=65536,t=2,p=1$HOd4sx0jGg++uJ3RMMGtimUReC4WKwxC2HQFv2LeEVE$MgCRpekFY+AkziJflxFnuogGY9l6IzuQnS8jwv4JIog';

async function enforce(limit: Promise<{ success: boolean; retryAfterSeconds: number }>, what: string) {
  const result = await limit;
  if (!result.success) {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new DomainError(
      'RATE_LIMITED',
      `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfterSeconds: result.retryAfterSeconds },
    );
  }
}

/**
 * The per-account limit counts guesses at one account's password: its username and its email share one budget,
 * and so do sign-in and password change. A login that names no account is counted as typed (lower-cased).
 */
const accountGuessKey = (userId: string) => `account:${userId}`;

export async function register(deps: CoreDeps, input: RegisterInput, meta: SessionMeta): Promise<SignedIn> {
  await enforce(deps.limiters.registerByIp.limit(meta.ip ?? 'unknown'), 'sign-ups from your network');
  if (ageOn(input.dateOfBirth, deps.clock.now()) < LIMITS.minimumAgeToRegister) {
    throw invalid('dateOfBirth', `You must be at least ${LIMITS.minimumAgeToRegister} to create an account.`);
  }
  const taken = await deps.db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(or(eq(users.username, input.username), eq(users.email, input.email)));
  if (taken.some((row) => row.username === input.username)) throw usernameTaken();
  if (taken.some((row) => row.email === input.email)) throw emailTaken();
  const passwordHash = await Bun.password.hash(input.password);
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          username: input.username,
          email: input.email,
          passwordHash,
          displayName: input.username,
          dateOfBirth: input.dateOfBirth,
          lastLoginAt: deps.clock.now(),
        })
        .returning({ id: users.id });
      await tx.insert(userLevels).values({ userId: user!.id });
      const { token, session } = await createSession(tx, deps.clock, user!.id, meta);
      return { me: await loadMe(tx, user!.id), token, session };
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'users_username_key') throw usernameTaken();
    if (constraint === 'users_email_key') throw emailTaken();
    throw error;
  }
}

const usernameTaken = () =>
  new DomainError('CONFLICT', 'That username is taken; choose another.', {
    fieldErrors: { username: 'That username is taken; choose another.' },
  });
const emailTaken = () =>
  new DomainError('CONFLICT', 'An account with that email already exists. Sign in instead.', {
    fieldErrors: { email: 'An account with that email already exists. Sign in instead.' },
  });

export async function login(deps: CoreDeps, input: LoginInput, meta: SessionMeta): Promise<SignedIn> {
  const login = input.login.toLowerCase();
  await enforce(deps.limiters.loginByIp.limit(meta.ip ?? 'unknown'), 'sign-in attempts from your network');
  const [user] = await deps.db
    .select()
    .from(users)
    .where(or(eq(users.username, login), eq(users.email, login)))
    .limit(1);
  const accountKey = user ? accountGuessKey(user.id) : `login:${login}`;
  await enforce(deps.limiters.loginByAccount.limit(accountKey), 'sign-in attempts for this account');
  const passwordOk = await Bun.password.verify(input.password, user?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!user || !passwordOk) throw new DomainError('WRONG_CREDENTIALS', WRONG_CREDENTIALS);
  if (user.bannedAt) {
    throw new DomainError(
      'BANNED',
      `This account is banned${user.banReason ? `: ${user.banReason}` : ''}. Contact support if you think this is a mistake.`,
    );
  }
  if (input.app === 'admin' && user.role !== 'moderator' && user.role !== 'admin') {
    throw forbidden('This account cannot use the admin app.');
  }
  await deps.limiters.loginByAccount.reset(accountKey);
  await deps.db.update(users).set({ lastLoginAt: deps.clock.now() }).where(eq(users.id, user.id));
  const { token, session } = await createSession(deps.db, deps.clock, user.id, meta);
  return { me: await loadMe(deps.db, user.id), token, session };
}

/** Sets a new password, ends every session of the user, and opens a fresh one for the caller. */
export async function changePassword(
  deps: CoreDeps,
  userId: string,
  input: ChangePasswordInput,
  meta: SessionMeta,
): Promise<SignedIn> {
  const accountKey = accountGuessKey(userId);
  await enforce(deps.limiters.loginByAccount.limit(accountKey), 'password attempts for this account');
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await Bun.password.verify(input.currentPassword, user.passwordHash))) {
    throw invalid('currentPassword', 'Your current password is not right.');
  }
  await deps.limiters.loginByAccount.reset(accountKey);
  if (input.currentPassword === input.newPassword) {
    throw invalid('newPassword', 'The new password must differ from the current one.');
  }
  const passwordHash = await Bun.password.hash(input.newPassword);
  const { ended, signedIn } = await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    const ended = await invalidateUserSessions(tx, userId);
    const { token, session } = await createSession(tx, deps.clock, userId, meta);
    return { ended, signedIn: { me: await loadMe(tx, userId), token, session } };
  });
  // Every other tab and device of the user is signed out at once, its sockets included.
  await announceEndedSessions(deps, userId, ended, 'password_changed');
  return signedIn;
}

/** 18+ attestation: the date of birth must match the account's and make the user an adult. */
export async function verifyAge(deps: CoreDeps, userId: string, input: VerifyAgeInput): Promise<Me> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Sign in to verify your age.');
  if (user.dateOfBirth !== input.dateOfBirth) {
    throw invalid('dateOfBirth', 'That date of birth does not match the one on your account.');
  }
  if (ageOn(input.dateOfBirth, deps.clock.now()) < LIMITS.adultAge) {
    throw invalid('dateOfBirth', `You must be ${LIMITS.adultAge} or older to verify your age.`);
  }
  if (!user.ageVerifiedAt) {
    await deps.db.update(users).set({ ageVerifiedAt: deps.clock.now() }).where(eq(users.id, userId));
  }
  return loadMe(deps.db, userId);
}

export async function becomeStreamer(
  deps: CoreDeps,
  userId: string,
  input: BecomeStreamerInput,
): Promise<Me> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Sign in to apply.');
  if (user.role !== 'viewer') {
    throw new DomainError('CONFLICT', `Your account is already a ${user.role} account.`);
  }
  if (!user.ageVerifiedAt) throw forbidden('Verify your age (18+) before you apply to stream.');
  await deps.db
    .update(users)
    .set({ role: 'streamer', streamerSince: deps.clock.now(), streamerPitch: input.pitch ?? null })
    .where(eq(users.id, userId));
  return loadMe(deps.db, userId);
}
