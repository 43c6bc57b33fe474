import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, TEST_PASSWORD, type TestDeps } from '@app/core/testing';
import { categories, ledgerAccounts, regions, sessions, users } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/** Every procedure × every role: allowed, or refused with the code a client can act on. */
type Role = 'anonymous' | 'viewer' | 'streamer' | 'moderator' | 'admin' | 'banned';
const ROLES: Role[] = ['anonymous', 'viewer', 'streamer', 'moderator', 'admin', 'banned'];
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT' | 'NOT_FOUND';

let deps: TestDeps;
let regionId: number;
let someone: { id: string; username: string };

beforeAll(async () => {
  deps = await createTestDeps();
  const [europe] = await deps.db
    .insert(regions)
    .values({ kind: 'continent', name: 'Europe', slug: 'europe', code: 'EU' })
    .returning();
  const [france] = await deps.db
    .insert(regions)
    .values({ kind: 'country', name: 'France', slug: 'france', code: 'FR', parentId: europe!.id })
    .returning();
  const [paris] = await deps.db
    .insert(regions)
    .values({ kind: 'city', name: 'Paris', slug: 'paris', parentId: france!.id })
    .returning();
  regionId = paris!.id;
  await deps.db.insert(categories).values({ slug: 'music', name: 'Music' });
  someone = (await createTestUser(deps, { role: 'streamer', username: 'someone_public' })).user;
});
afterAll(() => deps.database.drop());

async function actAs(role: Role) {
  if (role === 'anonymous') return { ...(await callerFor(deps, null)), user: null };
  const { user, token } = await createTestUser(deps, {
    role: role === 'banned' ? 'viewer' : role,
    banned: role === 'banned',
    ageVerified: true,
  });
  return { ...(await callerFor(deps, token)), user };
}

type Caller = Awaited<ReturnType<typeof actAs>>['caller'];
type Actor = Awaited<ReturnType<typeof actAs>>;

const signedIn = (expected: Outcome = 'ok'): Record<Role, Outcome> => ({
  anonymous: 'UNAUTHORIZED',
  banned: 'UNAUTHORIZED',
  viewer: expected,
  streamer: expected,
  moderator: expected,
  admin: expected,
});
const everyone: Record<Role, Outcome> = {
  anonymous: 'ok',
  banned: 'ok',
  viewer: 'ok',
  streamer: 'ok',
  moderator: 'ok',
  admin: 'ok',
};

const MATRIX: Array<[string, (c: Caller, actor: Actor) => Promise<unknown>, Record<Role, Outcome>]> = [
  ['auth.me', (c) => c.auth.me(), everyone],
  [
    'auth.register',
    (c) =>
      c.auth.register({
        username: `new_${crypto.randomUUID().slice(0, 8)}`,
        email: `${crypto.randomUUID().slice(0, 8)}@example.com`,
        password: 'plenty long secret',
        dateOfBirth: '1992-01-01',
      }),
    { ...signedIn('BAD_REQUEST'), anonymous: 'ok', banned: 'ok' },
  ],
  [
    'auth.login',
    async (c, actor) => {
      const { user } = actor.user ? actor : await createTestUser(deps);
      return c.auth.login({ login: user!.username, password: TEST_PASSWORD });
    },
    { ...everyone, banned: 'FORBIDDEN' },
  ],
  ['auth.logout', (c) => c.auth.logout(), signedIn()],
  ['auth.verifyAge', (c) => c.auth.verifyAge({ dateOfBirth: '1990-04-25', attest: true }), signedIn()],
  [
    'auth.becomeStreamer',
    (c) => c.auth.becomeStreamer({ acceptTerms: true }),
    { ...signedIn('CONFLICT'), viewer: 'ok' },
  ],
  [
    'auth.changePassword',
    (c) => c.auth.changePassword({ currentPassword: TEST_PASSWORD, newPassword: 'another long secret' }),
    signedIn(),
  ],
  ['users.byId', (c) => c.users.byId({ id: someone.id }), everyone],
  ['users.byUsername', (c) => c.users.byUsername({ username: someone.username }), everyone],
  ['users.updateProfile', (c) => c.users.updateProfile({ bio: 'hello', regionId }), signedIn()],
  ['users.search', (c) => c.users.search({ query: 'someone' }), everyone],
  ['search.all', (c) => c.search.all({ query: 'someone' }), everyone],
  ['search.streams', (c) => c.search.streams({ query: 'someone' }), everyone],
  ['regions.tree', (c) => c.regions.tree(), everyone],
  ['regions.list', (c) => c.regions.list({ parentId: null }), everyone],
  ['categories.list', (c) => c.categories.list(), everyone],
  ['leaderboards.visibility', (c) => c.leaderboards.visibility(), signedIn()],
  ['admin.dashboard', (c) => c.admin.dashboard(), { ...signedIn('FORBIDDEN'), moderator: 'ok', admin: 'ok' }],
  [
    'admin.finance.report',
    (c) => c.admin.finance.report({ days: 7 }),
    { ...signedIn('FORBIDDEN'), admin: 'ok' },
  ],
  [
    'admin.finance.purchases',
    (c) => c.admin.finance.purchases({}),
    { ...signedIn('FORBIDDEN'), admin: 'ok' },
  ],
  ['admin.finance.check', (c) => c.admin.finance.check(), { ...signedIn('FORBIDDEN'), admin: 'ok' }],
  [
    'admin.finance.ledger',
    // Past the role gate an admin is told there is no such transaction; everyone else never gets that far.
    (c) => c.admin.finance.ledger({ kind: 'transaction', id: 987_654_321 }),
    { ...signedIn('FORBIDDEN'), admin: 'NOT_FOUND' },
  ],
  [
    'admin.moderationLog',
    (c) => c.admin.moderationLog({ actions: ['ban'] }),
    { ...signedIn('FORBIDDEN'), moderator: 'ok', admin: 'ok' },
  ],
  [
    'admin.grantTokens',
    (c) =>
      c.admin.grantTokens({
        userId: someone.id,
        amountTokens: 5,
        reason: 'Role matrix check',
        idempotencyKey: crypto.randomUUID(),
      }),
    { ...signedIn('FORBIDDEN'), admin: 'ok' },
  ],
];

describe('procedure × role', () => {
  for (const [name, call, expected] of MATRIX) {
    for (const role of ROLES) {
      test(`${name} as ${role}: ${expected[role]}`, async () => {
        const actor = await actAs(role);
        const outcome = await call(actor.caller, actor).then(
          () => 'ok',
          (error) => (error instanceof TRPCError ? error.code : `unexpected ${error}`),
        );
        expect(outcome).toBe(expected[role]);
      });
    }
  }
});

describe('sessions through the API', () => {
  test('login sets an HttpOnly SameSite=Lax cookie and me returns the user; logout clears it', async () => {
    const { user } = await createTestUser(deps);
    const anonymous = await callerFor(deps, null);
    const me = await anonymous.caller.auth.login({ login: user.username, password: TEST_PASSWORD });
    expect(me.id).toBe(user.id);
    const cookie = anonymous.resHeaders.get('set-cookie')!;
    expect(cookie).toMatch(/^lumen_session=[a-z0-9]+\.[a-z0-9]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const signed = await callerFor(deps, token);
    expect((await signed.caller.auth.me())?.id).toBe(user.id);
    await signed.caller.auth.logout();
    expect(signed.resHeaders.get('set-cookie')).toContain('Max-Age=0');
    expect(await (await callerFor(deps, token)).caller.auth.me()).toBeNull();
  });

  test('a mutation from a foreign or missing Origin is refused and changes nothing (CSRF)', async () => {
    const { user, token } = await createTestUser(deps);
    for (const origin of ['https://evil.example', null]) {
      const { caller } = await callerFor(deps, token, { origin });
      await expect(caller.users.updateProfile({ bio: 'pwned' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const [row] = await deps.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.bio).toBe('');
  });

  test('wrong credentials do not say which part was wrong', async () => {
    const { user } = await createTestUser(deps);
    const { caller } = await callerFor(deps, null);
    const wrongPassword = await caller.auth
      .login({ login: user.username, password: 'not it at all' })
      .catch((e) => e);
    const noSuchUser = await caller.auth
      .login({ login: 'ghost_user', password: 'not it at all' })
      .catch((e) => e);
    expect(wrongPassword.code).toBe('UNAUTHORIZED');
    expect(wrongPassword.message).toBe('Wrong username or password.');
    expect(noSuchUser.message).toBe(wrongPassword.message);
  });
});

describe('bad input gets a clear BAD_REQUEST and stores nothing', () => {
  const huge = 'x'.repeat(10_000);
  const badRegistrations: Array<[string, unknown]> = [
    ['missing fields', {}],
    ['wrong types', { username: 42, email: true, password: [], dateOfBirth: {} }],
    [
      '10 KB username',
      { username: huge, email: 'a@example.com', password: 'long enough pass', dateOfBirth: '1990-01-01' },
    ],
    [
      '10 KB password',
      { username: 'big_pass', email: 'b@example.com', password: huge, dateOfBirth: '1990-01-01' },
    ],
    [
      'SQL in username',
      {
        username: "x' OR 1=1;--",
        email: 'c@example.com',
        password: 'long enough pass',
        dateOfBirth: '1990-01-01',
      },
    ],
    [
      'HTML in username',
      {
        username: '<script>alert(1)</script>',
        email: 'd@example.com',
        password: 'long enough pass',
        dateOfBirth: '1990-01-01',
      },
    ],
    [
      'bad email',
      {
        username: 'mail_less',
        email: 'not-an-email',
        password: 'long enough pass',
        dateOfBirth: '1990-01-01',
      },
    ],
    [
      'impossible date',
      {
        username: 'date_less',
        email: 'e@example.com',
        password: 'long enough pass',
        dateOfBirth: '1990-02-31',
      },
    ],
    [
      'future date',
      {
        username: 'futurist',
        email: 'f@example.com',
        password: 'long enough pass',
        dateOfBirth: '2999-01-01',
      },
    ],
  ];
  for (const [label, input] of badRegistrations) {
    test(`auth.register with ${label}`, async () => {
      const before = await deps.db.select({ n: count() }).from(users);
      const { caller } = await callerFor(deps, null);
      const error = await caller.auth.register(input as never).catch((e) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message.length).toBeGreaterThan(5);
      expect(error.message).not.toContain('Invalid input');
      const after = await deps.db.select({ n: count() }).from(users);
      expect(after[0]!.n).toBe(before[0]!.n);
    });
  }

  const badProfiles: Array<[string, unknown]> = [
    ['10 KB display name', { displayName: huge }],
    ['10 KB bio', { bio: huge }],
    ['javascript: avatar URL', { avatarUrl: 'javascript:alert(1)' }],
    ['data: avatar URL', { avatarUrl: 'data:text/html,<script>alert(1)</script>' }],
    ['unknown region', { regionId: 987654 }],
    ['fractional region', { regionId: 1.5 }],
    ['string region', { regionId: '1; DROP TABLE regions' }],
    ['empty display name', { displayName: '   ' }],
  ];
  for (const [label, input] of badProfiles) {
    test(`users.updateProfile with ${label}`, async () => {
      const { user, token } = await createTestUser(deps);
      const { caller } = await callerFor(deps, token);
      const error = await caller.users.updateProfile(input as never).catch((e) => e);
      expect(error.code).toBe('BAD_REQUEST');
      const [row] = await deps.db.select().from(users).where(eq(users.id, user.id));
      expect(row).toMatchObject({ displayName: user.displayName, bio: '', avatarUrl: null, regionId: null });
    });
  }

  test('an http:// avatar URL is refused with a sentence; https:// is kept', async () => {
    const { user, token } = await createTestUser(deps);
    const { caller } = await callerFor(deps, token);
    const error = await caller.users
      .updateProfile({ avatarUrl: 'http://cdn.example/me.png' })
      .catch((e) => e);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Avatar URL must be a web address starting with https://.',
    });
    const [row] = await deps.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.avatarUrl).toBeNull();
    const me = await caller.users.updateProfile({ avatarUrl: 'https://cdn.example/me.png' });
    expect(me.avatarUrl).toBe('https://cdn.example/me.png');
  });

  test('HTML in a bio is stored as written (pages render it escaped)', async () => {
    const { token } = await createTestUser(deps);
    const { caller } = await callerFor(deps, token);
    const me = await caller.users.updateProfile({ bio: '<img src=x onerror=alert(1)>' });
    expect(me.bio).toBe('<img src=x onerror=alert(1)>');
  });

  test('admin.grantTokens without a reason or with too many tokens says why and moves nothing', async () => {
    const { token } = await createTestUser(deps, { role: 'admin' });
    const { user } = await createTestUser(deps);
    const { caller } = await callerFor(deps, token);
    const grant = (input: { amountTokens: number; reason: string }) =>
      caller.admin
        .grantTokens({ userId: user.id, idempotencyKey: crypto.randomUUID(), ...input })
        .catch((e) => e);
    expect(await grant({ amountTokens: 100, reason: '  ' })).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Say why these tokens are granted (it is written to the moderation log).',
    });
    expect(await grant({ amountTokens: 5_000_000, reason: 'Too generous' })).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'A single grant can be at most 1,000,000 tokens.',
    });
    const [row] = await deps.db
      .select({ n: count() })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.userId, user.id));
    expect(row!.n).toBe(0);
  });

  test('a failed login leaves no session behind', async () => {
    const before = await deps.db.select({ n: count() }).from(sessions);
    const { caller } = await callerFor(deps, null);
    await caller.auth.login({ login: "' OR '1'='1", password: "' OR '1'='1" }).catch(() => {});
    const after = await deps.db.select({ n: count() }).from(sessions);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('reads', () => {
  test('profile edits persist with the region path and show in the public view', async () => {
    const { token, user } = await createTestUser(deps);
    const { caller } = await callerFor(deps, token);
    await caller.users.updateProfile({ displayName: 'Night Owl', bio: 'Synths at 2am', regionId });
    const me = await (await callerFor(deps, token)).caller.auth.me();
    expect(me).toMatchObject({
      displayName: 'Night Owl',
      bio: 'Synths at 2am',
      region: { path: 'Europe › France › Paris' },
    });
    const view = await caller.users.byUsername({ username: user.username.toUpperCase() });
    expect(view).toMatchObject({ displayName: 'Night Owl', region: { name: 'Paris' } });
    expect(view).not.toHaveProperty('email');
    expect(view).not.toHaveProperty('dateOfBirth');
  });

  test('search pages with a cursor and hides banned users', async () => {
    for (let i = 0; i < 5; i++) await createTestUser(deps, { username: `pager_${i}` });
    await createTestUser(deps, { username: 'pager_banned', banned: true });
    const { caller } = await callerFor(deps, null);
    const first = await caller.users.search({ query: 'pager', limit: 3 });
    expect(first.items.map((u) => u.username)).toEqual(['pager_0', 'pager_1', 'pager_2']);
    const second = await caller.users.search({ query: 'pager', limit: 3, cursor: first.nextCursor });
    expect(second.items.map((u) => u.username)).toEqual(['pager_3', 'pager_4']);
    expect(second.nextCursor).toBeNull();
  });

  test('the region tree nests cities in countries in continents', async () => {
    const { caller } = await callerFor(deps, null);
    const tree = await caller.regions.tree();
    expect(tree[0]).toMatchObject({
      name: 'Europe',
      children: [{ name: 'France', children: [{ name: 'Paris' }] }],
    });
  });

  test('the dashboard counts what is in the database', async () => {
    const { token } = await createTestUser(deps, { role: 'admin' });
    const { caller } = await callerFor(deps, token);
    const dashboard = await caller.admin.dashboard();
    const [total] = await deps.db.select({ n: count() }).from(users);
    expect(dashboard.users.total).toBe(Number(total!.n));
    expect(dashboard.regions).toEqual({ continents: 1, countries: 1, cities: 1 });
    expect(dashboard.categories).toBe(1);
    expect(dashboard.users.banned).toBeGreaterThanOrEqual(1);
  });
});

describe('following, seen from a profile', () => {
  test('followedByMe is true only for the follower, false for others and visitors', async () => {
    const star = await createTestUser(deps, { role: 'streamer' });
    const fan = await createTestUser(deps);
    const other = await createTestUser(deps);
    const fanCaller = (await callerFor(deps, fan.token)).caller;
    await fanCaller.users.follow({ userId: star.user.id });
    expect((await fanCaller.users.byUsername({ username: star.user.username })).followedByMe).toBe(true);
    expect((await fanCaller.users.byId({ id: star.user.id })).followedByMe).toBe(true);
    const otherCaller = (await callerFor(deps, other.token)).caller;
    expect((await otherCaller.users.byUsername({ username: star.user.username })).followedByMe).toBe(false);
    const visitor = (await callerFor(deps, null)).caller;
    expect((await visitor.users.byUsername({ username: star.user.username })).followedByMe).toBe(false);
  });
});
