import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sessions, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { createMemoryLimiters, DEFAULT_RATE_LIMITS } from '../infra/rate-limits.ts';
import type { DomainError } from '../kernel/errors.ts';
import { banUser } from '../moderation/platform-ban.ts';
import { createTestDeps, createTestUser, manualClock, TEST_PASSWORD, type TestDeps } from '../testing.ts';
import { becomeStreamer, changePassword, login, register, UNKNOWN_ACCOUNT_HASH, verifyAge } from './auth.ts';
import { registerInput } from './schemas.ts';
import { SESSION_INACTIVITY_SECONDS, validateSessionToken } from './session.ts';

const clock = manualClock();
let deps: TestDeps;

beforeAll(async () => {
  deps = await createTestDeps({ clock });
});
afterAll(() => deps.database.drop());

const signIn = (on: TestDeps, who: string, password: string) =>
  login(on, { login: who, password, app: 'web' }, {});

const input = (overrides: Partial<Record<string, string>> = {}) =>
  registerInput.parse({
    username: 'Nova_Star',
    email: 'Nova@Example.com',
    password: 'a long enough secret',
    dateOfBirth: '1995-02-14',
    ...overrides,
  });

describe('register', () => {
  test('creates the account with a lower-cased username and email and a working session', async () => {
    const { me, token } = await register(deps, input(), { ip: '10.0.0.1' });
    expect(me.username).toBe('nova_star');
    expect(me.email).toBe('nova@example.com');
    expect(me.role).toBe('viewer');
    expect(me.ageVerifiedAt).toBeNull();
    const valid = await validateSessionToken(deps.db, clock, token);
    expect(valid?.user.id).toBe(me.id);
    const [stored] = await deps.db.select().from(users).where(eq(users.id, me.id));
    expect(stored!.passwordHash.startsWith('$argon2id$')).toBe(true);
    const [session] = await deps.db.select().from(sessions).where(eq(sessions.userId, me.id));
    expect(token).toContain(session!.id);
    expect(token).not.toContain(session!.secretHash);
  });

  test('refuses a taken username or email, whatever the case, and names the field', async () => {
    await expect(register(deps, input({ email: 'other@example.com' }), {})).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { username: 'That username is taken; choose another.' },
    });
    await expect(
      register(deps, input({ username: 'someone_else', email: 'NOVA@example.com' }), {}),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { email: expect.stringContaining('already exists') },
    });
  });

  test('refuses children under 13', async () => {
    await expect(
      register(deps, input({ username: 'kid', email: 'kid@example.com', dateOfBirth: '2016-01-01' }), {}),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  test('rejects weak passwords and bad usernames before anything is stored', () => {
    expect(registerInput.safeParse({ ...input(), password: 'short' }).success).toBe(false);
    expect(registerInput.safeParse({ ...input(), password: 'password123' }).success).toBe(false);
    expect(registerInput.safeParse({ ...input(), password: 'aaaaaaaaaaaa' }).success).toBe(false);
    expect(registerInput.safeParse({ ...input(), username: "x'; drop table users;--" }).success).toBe(false);
  });
});

describe('login', () => {
  test('an unknown account is checked against a hash as costly as any account hash', async () => {
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(UNKNOWN_ACCOUNT_HASH)).toBe(parameters(await Bun.password.hash('any password')));
  });

  test('accepts username or email, any case; the wrong password and an unknown user read the same', async () => {
    const byName = await login(
      deps,
      { login: 'NOVA_STAR', password: 'a long enough secret', app: 'web' },
      {},
    );
    const byEmail = await login(
      deps,
      { login: 'nova@example.com', password: 'a long enough secret', app: 'web' },
      {},
    );
    expect(byName.me.id).toBe(byEmail.me.id);
    // Awaited one at a time: a second pending rejection would count as unhandled while the first is awaited.
    await expect(
      login(deps, { login: 'nova_star', password: 'nope nope nope', app: 'web' }, {}),
    ).rejects.toMatchObject({
      code: 'WRONG_CREDENTIALS',
      message: 'Wrong username or password.',
    });
    await expect(
      login(deps, { login: 'nobody_here', password: 'nope nope nope', app: 'web' }, {}),
    ).rejects.toMatchObject({
      code: 'WRONG_CREDENTIALS',
      message: 'Wrong username or password.',
    });
  });

  test('the admin app admits moderators and admins only, after the password check', async () => {
    const viewer = await createTestUser(deps);
    const moderator = await createTestUser(deps, { role: 'moderator' });
    const password = 'correct horse battery';
    await expect(
      login(deps, { login: viewer.user.username, password, app: 'admin' }, {}),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'This account cannot use the admin app.' });
    await expect(
      login(deps, { login: viewer.user.username, password: 'wrong wrong wrong', app: 'admin' }, {}),
    ).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    const ok = await login(deps, { login: moderator.user.username, password, app: 'admin' }, {});
    expect(ok.me.role).toBe('moderator');
  });

  test('a banned user cannot sign in and their sessions are gone', async () => {
    const victim = await createTestUser(deps);
    const admin = await createTestUser(deps, { role: 'admin' });
    await banUser(deps, admin.user.id, victim.user.id, 'spam');
    expect(await validateSessionToken(deps.db, clock, victim.token)).toBeNull();
    await expect(
      login(deps, { login: victim.user.username, password: 'correct horse battery', app: 'web' }, {}),
    ).rejects.toMatchObject({ code: 'BANNED', message: expect.stringContaining('spam') });
  });

  test('is rate limited per account and per network', async () => {
    const limited = {
      ...deps,
      limiters: createMemoryLimiters({
        ...DEFAULT_RATE_LIMITS,
        loginByAccount: { count: 3, windowSeconds: 60 },
        loginByIp: { count: 5, windowSeconds: 60 },
      }),
    };
    const attempt = (who: string, ip: string) =>
      login(limited, { login: who, password: 'wrong wrong wrong', app: 'web' }, { ip }).catch((e) => e.code);
    expect(await Promise.all([1, 2, 3].map(() => attempt('nova_star', '1.1.1.1')))).toEqual([
      'WRONG_CREDENTIALS',
      'WRONG_CREDENTIALS',
      'WRONG_CREDENTIALS',
    ]);
    expect(await attempt('nova_star', '2.2.2.2')).toBe('RATE_LIMITED');
    expect(await attempt('other_a', '1.1.1.1')).toBe('WRONG_CREDENTIALS');
    expect(await attempt('other_b', '1.1.1.1')).toBe('WRONG_CREDENTIALS');
    expect(await attempt('other_c', '1.1.1.1')).toBe('RATE_LIMITED');
  });
});

describe('password guessing', () => {
  const limitedTo = (count: number, windowSeconds: number) => ({
    ...deps,
    limiters: createMemoryLimiters({ ...DEFAULT_RATE_LIMITS, loginByAccount: { count, windowSeconds } }),
  });

  test('the username and the email of one account share one sign-in limit', async () => {
    const { user } = await createTestUser(deps);
    const limited = limitedTo(3, 60);
    const attempt = (login: string): Promise<string> =>
      signIn(limited, login, 'wrong wrong wrong').then(
        () => 'SIGNED_IN',
        (error: DomainError) => error.code,
      );
    const tries = [user.username, user.email, user.username.toUpperCase(), user.email];
    const outcomes: string[] = [];
    for (const login of tries) outcomes.push(await attempt(login));
    expect(outcomes).toEqual(['WRONG_CREDENTIALS', 'WRONG_CREDENTIALS', 'WRONG_CREDENTIALS', 'RATE_LIMITED']);
    await expect(signIn(limited, user.email, TEST_PASSWORD)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(
        /^Too many sign-in attempts for this account\. Try again in 1 minute\.$/,
      ),
    });
  });

  test('wrong current passwords are limited per account; then even the right one waits for the window', async () => {
    const { user } = await createTestUser(deps);
    const limited = limitedTo(3, 1);
    const change = (currentPassword: string) =>
      changePassword(limited, user.id, { currentPassword, newPassword: 'a brand new passphrase' }, {});
    const guesses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => change(`guess number ${n}`).catch((error: DomainError) => error.code)),
    );
    expect(guesses.sort()).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    await expect(change(TEST_PASSWORD)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many password attempts for this account. Try again in 1 minute.',
    });
    // Sign-in guesses draw on the same budget.
    await expect(signIn(limited, user.username, TEST_PASSWORD)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await Bun.sleep(1_100);
    const changed = await change(TEST_PASSWORD);
    expect(changed.me.id).toBe(user.id);
  });
});

describe('sessions', () => {
  test('expire after the inactivity period and are refreshed by use', async () => {
    const { token } = await createTestUser(deps);
    clock.advance(SESSION_INACTIVITY_SECONDS - 60);
    expect(await validateSessionToken(deps.db, clock, token)).not.toBeNull();
    clock.advance(SESSION_INACTIVITY_SECONDS - 60);
    expect(await validateSessionToken(deps.db, clock, token)).not.toBeNull();
    clock.advance(SESSION_INACTIVITY_SECONDS + 1);
    expect(await validateSessionToken(deps.db, clock, token)).toBeNull();
  });

  test('refuse a forged secret and malformed tokens', async () => {
    const { token } = await createTestUser(deps);
    const [id] = token.split('.');
    for (const bad of [`${id}.forged`, `${id}`, '', '..', `${token}.extra`, 'x'.repeat(10_000)]) {
      expect(await validateSessionToken(deps.db, clock, bad)).toBeNull();
    }
  });

  test('changing the password ends every other session', async () => {
    const { user, token } = await createTestUser(deps);
    const second = await login(
      deps,
      { login: user.username, password: 'correct horse battery', app: 'web' },
      {},
    );
    const changed = await changePassword(
      deps,
      user.id,
      { currentPassword: 'correct horse battery', newPassword: 'a brand new passphrase' },
      {},
    );
    expect(await validateSessionToken(deps.db, clock, token)).toBeNull();
    expect(await validateSessionToken(deps.db, clock, second.token)).toBeNull();
    expect(await validateSessionToken(deps.db, clock, changed.token)).not.toBeNull();
    await expect(
      login(deps, { login: user.username, password: 'correct horse battery', app: 'web' }, {}),
    ).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
  });
});

describe('age and streaming', () => {
  test('an adult verifies with the matching date of birth, then may become a streamer', async () => {
    const { user } = await createTestUser(deps, { dateOfBirth: '1990-04-25' });
    await expect(becomeStreamer(deps, user.id, { acceptTerms: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(verifyAge(deps, user.id, { dateOfBirth: '1991-04-25', attest: true })).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
      },
    );
    const me = await verifyAge(deps, user.id, { dateOfBirth: '1990-04-25', attest: true });
    expect(me.ageVerifiedAt).not.toBeNull();
    const streamer = await becomeStreamer(deps, user.id, { acceptTerms: true, pitch: 'Live jazz piano' });
    expect(streamer.role).toBe('streamer');
    expect(streamer.streamerSince).not.toBeNull();
    await expect(becomeStreamer(deps, user.id, { acceptTerms: true })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  test('a minor cannot verify', async () => {
    const { user } = await createTestUser(deps, { dateOfBirth: '2010-09-01' });
    await expect(verifyAge(deps, user.id, { dateOfBirth: '2010-09-01', attest: true })).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('18'),
      },
    );
  });
});
