import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { banFromChannel, banUser, DomainError, timeoutUser, walletBalance } from '@app/core';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '@app/core/testing';
import { messages, tips } from '@app/db/schema';
import { TRPCError } from '@trpc/server';
import { and, count, eq } from 'drizzle-orm';
import { callerFor } from './testing.ts';

/**
 * Every way into a room passes the room's one rule (core `room/access.ts`): each gate against each path, through
 * the router. A refused path stores nothing and moves no tokens.
 */
const PATHS = ['chat.send', 'chat.react', 'tip with note', 'tip without note'] as const;
type Path = (typeof PATHS)[number];

/** `ok`, or the tRPC code and the domain reason (or code) the caller is refused with. */
type Outcome = 'ok' | `${string}:${string}`;

type Gate = {
  name: string;
  stream?: { status?: 'draft' | 'live' | 'ended'; nsfw?: boolean };
  participant?: { ageVerified?: boolean; dateOfBirth?: string } | 'guest';
  /** Applied after the scene is set up: a ban, a timeout. */
  apply?: (scene: Scene) => Promise<unknown>;
  expect: Record<Path, Outcome>;
};

const all = (outcome: Outcome): Record<Path, Outcome> => ({
  'chat.send': outcome,
  'chat.react': outcome,
  'tip with note': outcome,
  'tip without note': outcome,
});

/** Sixteen on the test's day: a birth date that makes the user a minor. */
const SIXTEEN = `${new Date().getUTCFullYear() - 16}-01-01`;

const GATES: Gate[] = [
  { name: 'no gate (a signed-in viewer)', expect: all('ok') },
  {
    name: 'no gate (an age-verified adult in an NSFW stream)',
    stream: { nsfw: true },
    participant: { ageVerified: true },
    expect: all('ok'),
  },
  {
    name: 'banned from the channel',
    apply: (s) =>
      banFromChannel(deps, s.streamerActor, { streamId: s.streamId, userId: s.userId, reason: 'spam' }),
    expect: all('FORBIDDEN:BANNED_FROM_CHAT'),
  },
  {
    name: 'timed out',
    apply: (s) =>
      timeoutUser(deps, s.streamerActor, {
        streamId: s.streamId,
        userId: s.userId,
        seconds: 600,
        reason: 'caps',
      }),
    expect: {
      'chat.send': 'FORBIDDEN:TIMED_OUT',
      'chat.react': 'FORBIDDEN:TIMED_OUT',
      'tip with note': 'FORBIDDEN:TIMED_OUT',
      'tip without note': 'ok',
    },
  },
  {
    name: 'NSFW stream, a 16-year-old',
    stream: { nsfw: true },
    participant: { dateOfBirth: SIXTEEN },
    expect: all('FORBIDDEN:ADULTS_ONLY'),
  },
  {
    name: 'NSFW stream, an adult who has not verified their age',
    stream: { nsfw: true },
    expect: all('FORBIDDEN:ADULTS_ONLY'),
  },
  { name: 'a visitor without a session', participant: 'guest', expect: all('UNAUTHORIZED:none') },
  {
    name: 'a platform-banned streamer',
    apply: async (s) =>
      banUser(deps, (await createTestUser(deps, { role: 'admin' })).user.id, s.streamerId, 'fraud'),
    expect: all('NOT_FOUND:NOT_FOUND'),
  },
  {
    name: 'a draft stream',
    stream: { status: 'draft' },
    expect: {
      'chat.send': 'CONFLICT:NOT_LIVE',
      'chat.react': 'CONFLICT:NOT_LIVE',
      'tip with note': 'BAD_REQUEST:INVALID_INPUT',
      'tip without note': 'BAD_REQUEST:INVALID_INPUT',
    },
  },
  {
    name: 'an ended stream',
    stream: { status: 'ended' },
    expect: {
      'chat.send': 'CONFLICT:NOT_LIVE',
      'chat.react': 'CONFLICT:NOT_LIVE',
      'tip with note': 'BAD_REQUEST:INVALID_INPUT',
      'tip without note': 'BAD_REQUEST:INVALID_INPUT',
    },
  },
];

type Scene = {
  streamerId: string;
  streamerActor: { id: string; role: 'streamer' };
  streamerToken: string;
  streamId: string;
  /** The participant (for a visitor, a user who is never signed in). */
  userId: string;
  token: string | null;
  messageId: number;
};

const WALLET = 1_000;
let deps: TestDeps;

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

async function scene(gate: Gate): Promise<Scene> {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const participant = await createTestUser(
    deps,
    gate.participant === 'guest' ? {} : (gate.participant ?? {}),
  );
  await fundWallet(deps, participant.user.id, WALLET);
  const stream = await createTestStream(deps, streamer.user.id, gate.stream);
  // A line of the streamer's to react to, stored directly: a draft stream has no chat to post it through.
  const [message] = await deps.db
    .insert(messages)
    .values({ kind: 'chat', streamId: stream.id, senderId: streamer.user.id, body: 'welcome' })
    .returning({ id: messages.id });
  const built: Scene = {
    streamerId: streamer.user.id,
    streamerActor: { id: streamer.user.id, role: 'streamer' },
    streamerToken: streamer.token,
    streamId: stream.id,
    userId: participant.user.id,
    token: gate.participant === 'guest' ? null : participant.token,
    messageId: message!.id,
  };
  await gate.apply?.(built);
  return built;
}

async function attempt(s: Scene, path: Path): Promise<Outcome> {
  const { caller } = await callerFor(deps, s.token);
  const idempotencyKey = crypto.randomUUID();
  const call = {
    'chat.send': () =>
      caller.chat.send({ streamId: s.streamId, text: 'hello room', clientMessageId: crypto.randomUUID() }),
    'chat.react': () => caller.chat.react({ messageId: s.messageId, emoji: '❤️' }),
    'tip with note': () =>
      caller.tips.send({ streamId: s.streamId, amountTokens: 10, note: 'see me', idempotencyKey }),
    'tip without note': () => caller.tips.send({ streamId: s.streamId, amountTokens: 10, idempotencyKey }),
  }[path];
  try {
    await call();
    return 'ok';
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause instanceof DomainError ? (error.cause.reason ?? error.cause.code) : 'none';
    return `${error.code}:${cause}`;
  }
}

/** What the participant left in the room: lines stored, tips recorded, tokens spent. */
async function traces(s: Scene) {
  const [[lines], [tipped], wallet] = await Promise.all([
    deps.db
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.streamId, s.streamId), eq(messages.senderId, s.userId))),
    deps.db.select({ n: count() }).from(tips).where(eq(tips.fromUserId, s.userId)),
    walletBalance(deps, s.userId),
  ]);
  return { lines: lines!.n, tips: tipped!.n, spent: WALLET - wallet.walletTokens };
}

describe('each gate × each path into a room', () => {
  for (const gate of GATES) {
    for (const path of PATHS) {
      const expected = gate.expect[path];
      test(`${gate.name}: ${path} → ${expected}`, async () => {
        const s = await scene(gate);
        expect(await attempt(s, path)).toBe(expected);
        const left = await traces(s);
        if (expected !== 'ok') {
          expect(left).toEqual({ lines: 0, tips: 0, spent: 0 });
          return;
        }
        const stored = { 'chat.send': [1, 0, 0], 'chat.react': [0, 0, 0] }[path as string] ?? [1, 1, 10];
        expect([left.lines, left.tips, left.spent]).toEqual(stored);
      });
    }
  }
});

describe('the banned streamer’s hidden stream', () => {
  test('is not there to watch either: its history and a viewer token say not found', async () => {
    const s = await scene(GATES.find((gate) => gate.name === 'a platform-banned streamer')!);
    const { caller } = await callerFor(deps, s.token);
    for (const call of [
      () => caller.chat.history({ streamId: s.streamId }),
      () => caller.streams.viewerToken({ streamId: s.streamId }),
    ]) {
      const error = await call().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('NOT_FOUND');
    }
  });
});

describe('a tip note is chat', () => {
  test('25 tip notes in one second are limited as 25 chat lines are; tips without a note are not', async () => {
    const s = await scene(GATES[0]!);
    const { caller } = await callerFor(deps, s.token);
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i++) {
      outcomes.push(
        await caller.tips
          .send({
            streamId: s.streamId,
            amountTokens: 1,
            note: `note ${i}`,
            idempotencyKey: crypto.randomUUID(),
          })
          .then(
            () => 'ok',
            (error: TRPCError) => error.code,
          ),
      );
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(outcomes.slice(20)).toEqual(Array(5).fill('TOO_MANY_REQUESTS'));
    expect(await traces(s)).toEqual({ lines: 20, tips: 20, spent: 20 });
    // The money path itself is not chat: a tip without a note still goes through.
    await caller.tips.send({ streamId: s.streamId, amountTokens: 1, idempotencyKey: crypto.randomUUID() });
    expect((await traces(s)).tips).toBe(21);
  });

  test('in slow mode a tip with a note waits like a chat line, and says the tip can go without it', async () => {
    const s = await scene(GATES[0]!);
    const { caller: streamer } = await callerFor(deps, s.streamerToken);
    await streamer.moderation.setChatMode({ streamId: s.streamId, slowModeSeconds: 60 });
    const { caller } = await callerFor(deps, s.token);
    await caller.chat.send({ streamId: s.streamId, text: 'first', clientMessageId: crypto.randomUUID() });
    const refused = await caller.tips
      .send({ streamId: s.streamId, amountTokens: 5, note: 'and me', idempotencyKey: crypto.randomUUID() })
      .then(
        () => null,
        (error: TRPCError) => error,
      );
    expect(refused?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused?.message).toContain('you can send it without a note');
    expect(await traces(s)).toEqual({ lines: 1, tips: 0, spent: 0 });
    await caller.tips.send({ streamId: s.streamId, amountTokens: 5, idempotencyKey: crypto.randomUUID() });
    expect(await traces(s)).toEqual({ lines: 2, tips: 1, spent: 5 });
  });
});
