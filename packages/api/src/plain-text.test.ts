import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  type TestDeps,
} from '@app/core/testing';
import { channelBans, messages, moderationLogs, sessions, streams, tips, users } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/**
 * Text people type passes one rule (`kernel/text.ts`): a NUL or other control character is a BAD_REQUEST with a
 * sentence naming the field and nothing is stored; direction overrides are removed from running text and refused
 * in names; text that shows nothing is empty; names that read as staff are for staff.
 */
let deps: TestDeps;
let streamer: Awaited<ReturnType<typeof createTestUser>>;
let viewer: Awaited<ReturnType<typeof createTestUser>>;
let streamId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  streamer = await createTestUser(deps, { role: 'streamer' });
  viewer = await createTestUser(deps);
  streamId = (await createTestStream(deps, streamer.user.id)).id;
  await fundWallet(deps, viewer.user.id, 1_000);
});
afterAll(() => deps.database.drop());

const as = async (who: { token: string } | null) => (await callerFor(deps, who?.token ?? null)).caller;
const rows = async (table: Parameters<ReturnType<TestDeps['db']['select']>['from']>[0]) =>
  (await deps.db.select({ n: count() }).from(table))[0]!.n;

/** The refusal as `CODE: message`, or `ok`. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

const nulRefusal = (label: string) =>
  `BAD_REQUEST: ${label} contains a control character (such as a NUL byte); remove it and try again.`;

describe('a NUL byte in a free-text field is refused with a sentence and stores nothing', () => {
  test('display name', async () => {
    const caller = await as(viewer);
    expect(await outcome(() => caller.users.updateProfile({ displayName: 'Night\u0000Owl' }))).toBe(
      nulRefusal('Display name'),
    );
    const [row] = await deps.db.select().from(users).where(eq(users.id, viewer.user.id));
    expect(row!.displayName).toBe(viewer.user.displayName);
  });

  test('bio', async () => {
    const caller = await as(viewer);
    expect(await outcome(() => caller.users.updateProfile({ bio: 'synths\u0000' }))).toBe(nulRefusal('Bio'));
    const [row] = await deps.db.select().from(users).where(eq(users.id, viewer.user.id));
    expect(row!.bio).toBe('');
  });

  test('tip note', async () => {
    const caller = await as(viewer);
    const before = await rows(tips);
    const send = () =>
      caller.tips.send({ streamId, amountTokens: 5, note: 'gg\u0000', idempotencyKey: crypto.randomUUID() });
    expect(await outcome(send)).toBe(nulRefusal('The tip note'));
    expect(await rows(tips)).toBe(before);
  });

  test('stream title', async () => {
    const caller = await as(streamer);
    const before = await rows(streams);
    expect(await outcome(() => caller.streams.create({ title: 'Live\u0000now' }))).toBe(
      nulRefusal('The title'),
    );
    expect(await outcome(() => caller.streams.update({ streamId, title: 'Live\u0000now' }))).toBe(
      nulRefusal('The title'),
    );
    expect(await rows(streams)).toBe(before);
    const [row] = await deps.db.select().from(streams).where(eq(streams.id, streamId));
    expect(row!.title).toBe('Test stream');
  });

  test('login', async () => {
    const caller = await as(null);
    const before = await rows(sessions);
    const login = () => caller.auth.login({ login: `${viewer.user.username}\u0000`, password: 'whatever' });
    expect(await outcome(login)).toBe(nulRefusal('Your username or email'));
    expect(await rows(sessions)).toBe(before);
  });

  test('timeout reason', async () => {
    const caller = await as(streamer);
    const before = [await rows(channelBans), await rows(moderationLogs)];
    const timeout = () =>
      caller.moderation.timeout({ streamId, userId: viewer.user.id, seconds: 60, reason: 'spam\u0000' });
    expect(await outcome(timeout)).toBe(nulRefusal('The reason'));
    expect([await rows(channelBans), await rows(moderationLogs)]).toEqual(before);
  });

  test('search', async () => {
    const caller = await as(null);
    expect(await outcome(() => caller.users.search({ query: 'a\u0000' }))).toBe(nulRefusal('The search'));
  });

  test('and in every other free-text input: whispers, tags, descriptions, pitches, reasons, notes, staff search', async () => {
    const admin = await as(await createTestUser(deps, { role: 'admin' }));
    const mine = await as(viewer);
    const owner = await as(streamer);
    const withdrawalId = crypto.randomUUID();
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['The message', () => mine.chat.whisper({ toUserId: streamer.user.id, text: 'psst\u0000' })],
      ['A tag', () => owner.streams.update({ streamId, tags: ['jazz\u0000'] })],
      ['The description', () => owner.streams.update({ streamId, description: 'tonight\u0000' })],
      ['Your pitch', () => mine.auth.becomeStreamer({ acceptTerms: true, pitch: 'I sing\u0000' })],
      ['The reason', () => admin.admin.banUser({ userId: viewer.user.id, reason: 'fraud\u0000' })],
      ['The reason', () => owner.moderation.ban({ streamId, userId: viewer.user.id, reason: 'rude\u0000' })],
      ['The note', () => admin.admin.payouts.approve({ withdrawalId, note: 'ok\u0000' })],
      ['The search', () => admin.admin.users({ query: 'a\u0000' })],
    ];
    const before = [await rows(messages), await rows(channelBans), await rows(moderationLogs)];
    for (const [label, run] of cases) expect(await outcome(run)).toBe(nulRefusal(label));
    expect([await rows(messages), await rows(channelBans), await rows(moderationLogs)]).toEqual(before);
    const [me] = await deps.db.select().from(users).where(eq(users.id, viewer.user.id));
    expect(me).toMatchObject({ role: 'viewer', bannedAt: null, streamerPitch: null });
  });

  test('other control characters too (C0, DEL, C1), and unpaired surrogates', async () => {
    const caller = await as(viewer);
    for (const bad of ['bell\u0007', 'tab\tname', 'del\u007f', 'c1\u0085', 'esc\u001b[31m']) {
      expect(await outcome(() => caller.users.updateProfile({ displayName: bad }))).toBe(
        nulRefusal('Display name'),
      );
    }
    expect(await outcome(() => caller.users.updateProfile({ displayName: 'half\ud800' }))).toBe(
      'BAD_REQUEST: Display name contains a broken character; retype it and try again.',
    );
  });

  test('a text area keeps its newlines and tabs, and a CR LF becomes one newline', async () => {
    const caller = await as(viewer);
    const me = await caller.users.updateProfile({ bio: 'line one\r\n\tline two' });
    expect(me.bio).toBe('line one\n\tline two');
  });
});

describe('direction overrides and text that shows nothing', () => {
  const OVERRIDES = [
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ];

  test('are refused in display names, each of them', async () => {
    const caller = await as(viewer);
    for (const override of OVERRIDES) {
      expect(await outcome(() => caller.users.updateProfile({ displayName: `moc.${override}evil` }))).toBe(
        'BAD_REQUEST: Display name cannot contain text-direction override characters; remove them and try again.',
      );
    }
  });

  test('are removed from chat lines, bios, tip notes and titles (the words stay)', async () => {
    const caller = await as(viewer);
    const clientMessageId = crypto.randomUUID();
    await caller.chat.send({ streamId, text: 'click \u202egnp.exe\u202c now', clientMessageId });
    const [line] = await deps.db.select().from(messages).where(eq(messages.clientMessageId, clientMessageId));
    expect(line!.body).toBe('click gnp.exe now');
    expect((await caller.users.updateProfile({ bio: '\u2067hello\u2069' })).bio).toBe('hello');
    const tip = await caller.tips.send({
      streamId,
      amountTokens: 1,
      note: '\u202dthanks',
      idempotencyKey: crypto.randomUUID(),
    });
    expect(tip.tip.note).toBe('thanks');
    const updated = await (await as(streamer)).streams.update({ streamId, title: '\u202eTest stream' });
    expect(updated.title).toBe('Test stream');
  });

  test('a zero-width-only message, name or title is empty', async () => {
    const invisible = '\u200b\u200c\u200d\u2060\ufeff\u3164\u2800';
    const caller = await as(viewer);
    const before = await rows(messages);
    const send = () => caller.chat.send({ streamId, text: invisible, clientMessageId: crypto.randomUUID() });
    expect(await outcome(send)).toBe('BAD_REQUEST: Type a message first.');
    expect(
      await outcome(() =>
        caller.chat.send({ streamId, text: ' \u200b \u200b ', clientMessageId: 'x'.repeat(8) }),
      ),
    ).toBe('BAD_REQUEST: Type a message first.');
    expect(await rows(messages)).toBe(before);
    expect(await outcome(() => caller.users.updateProfile({ displayName: invisible }))).toBe(
      'BAD_REQUEST: Display name cannot be empty.',
    );
    expect(
      await outcome(() =>
        (async () => (await as(streamer)).streams.update({ streamId, title: invisible }))(),
      ),
    ).toBe('BAD_REQUEST: Give the stream a title.');
  });

  test('an optional note that shows nothing is no note; joiners inside emoji stay', async () => {
    const caller = await as(viewer);
    const sent = await caller.tips.send({
      streamId,
      amountTokens: 1,
      note: '\u200b\u200d',
      idempotencyKey: crypto.randomUUID(),
    });
    expect(sent.tip.note).toBeNull();
    const family = '👨\u200d👩\u200d👧';
    expect((await caller.users.updateProfile({ displayName: `${family} Fan` })).displayName).toBe(
      `${family} Fan`,
    );
  });

  test('text is stored in NFC, so the same words are the same bytes', async () => {
    const caller = await as(viewer);
    const me = await caller.users.updateProfile({ displayName: 'Jose\u0301' });
    expect(me.displayName).toBe('Jos\u00e9');
  });
});

describe('names that read as staff', () => {
  test('a viewer cannot take one as a display name, in any disguise', async () => {
    const caller = await as(viewer);
    for (const name of [
      'Admin',
      '4dm1n',
      'аdmin',
      'ＳＴＡＦＦ',
      'M o d e r a t o r',
      'Lumen_Support',
      'TheRealAdmin',
    ]) {
      expect(await outcome(() => caller.users.updateProfile({ displayName: name }))).toBe(
        'BAD_REQUEST: That display name reads as Lumen staff; choose another.',
      );
    }
    const [row] = await deps.db.select().from(users).where(eq(users.id, viewer.user.id));
    expect(row!.displayName).not.toMatch(/admin|staff|moderator|support/i);
  });

  test('staff may, and a name someone already has does not block the rest of their profile', async () => {
    const admin = await createTestUser(deps, { role: 'admin' });
    const adminCaller = await as(admin);
    expect((await adminCaller.users.updateProfile({ displayName: 'Lumen Admin' })).displayName).toBe(
      'Lumen Admin',
    );
    const veteran = await createTestUser(deps);
    await deps.db.update(users).set({ displayName: 'Support' }).where(eq(users.id, veteran.user.id));
    const me = await (await as(veteran)).users.updateProfile({ displayName: 'Support', bio: 'since 2020' });
    expect(me).toMatchObject({ displayName: 'Support', bio: 'since 2020' });
  });

  test('nobody can sign up with a username that reads as staff', async () => {
    const caller = await as(null);
    const before = await rows(users);
    for (const username of ['admin', 'the_real_admin', 'm0derator', 'lumen_support', 'system2024']) {
      const register = () =>
        caller.auth.register({
          username,
          email: `${username}@example.com`,
          password: 'correct horse battery',
          dateOfBirth: '1990-04-25',
        });
      expect(await outcome(register)).toBe(
        'BAD_REQUEST: That username is kept for Lumen staff; choose another.',
      );
    }
    expect(await rows(users)).toBe(before);
  });
});
