import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { FilterTerm } from '@app/db/schema';
import { contentFilters, messages, moderationLogs, streams, tips, users } from '@app/db/schema';
import { and, count, eq } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { sendChatInput } from '../chat/schemas.ts';
import { sendWhisper } from '../chat/whispers.ts';
import { sendTipInput } from '../economy/tips.ts';
import { FILTERS_TOPIC } from '../events/filters.ts';
import { updateProfile } from '../identity/users.ts';
import { createRedisBus } from '../infra/bus.ts';
import { connectRedis } from '../infra/redis.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import type { EventBus } from '../kernel/ports.ts';
import { tipInRoom } from '../room/tips.ts';
import { createStream, updateStream } from '../streams/streams.ts';
import {
  createTestDeps,
  createTestStream,
  createTestUser,
  fundWallet,
  refusal,
  type TestDeps,
} from '../testing.ts';
import { updateFilters } from './edit.ts';
import { filtersUpdateInput } from './schemas.ts';

// Word filters where each text enters: chat, whispers, tip notes, stream titles, bios. Real Postgres; the last
// describe runs two nodes on one Redis bus.

let deps: TestDeps;
let admin: { id: string; role: 'admin' };
beforeAll(async () => {
  deps = await createTestDeps();
  const created = await createTestUser(deps, { role: 'admin' });
  admin = { id: created.user.id, role: 'admin' };
});
afterAll(() => deps.database.drop());

const BLOCKED = 'contains a word that is not allowed here.';
let n = 0;
const say = (streamId: string, text: string) =>
  sendChatInput.parse({ streamId, text, clientMessageId: `filters-${++n}-${crypto.randomUUID()}` });

async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const viewer = await createTestUser(deps);
  const stream = await createTestStream(deps, streamer.user.id);
  return { streamer, viewer, stream };
}

function setRoom(on: CoreDeps, stream: { id: string; streamerId: string }, terms: FilterTerm[]) {
  const input = filtersUpdateInput.parse({ scope: { kind: 'room', streamId: stream.id }, terms });
  return updateFilters(on, { id: stream.streamerId, role: 'streamer' }, input);
}

const setPlatform = (terms: FilterTerm[], englishPreset: 'block' | 'mask' | null = null) =>
  updateFilters(deps, admin, filtersUpdateInput.parse({ scope: { kind: 'platform' }, terms, englishPreset }));

const storedChat = async (streamId: string) =>
  (await deps.db.select({ body: messages.body }).from(messages).where(eq(messages.streamId, streamId))).map(
    (row) => row.body,
  );

describe('chat', () => {
  test('a masked word is stored and announced as asterisks, the rest kept as written', async () => {
    const { viewer, stream } = await room();
    await setRoom(deps, stream, [{ word: 'heck', mode: 'mask' }]);
    const sent = await sendChat(deps, viewer.user.id, say(stream.id, 'what the H3CK, friend'));
    expect(sent.message.text).toBe('what the ****, friend');
    expect(await storedChat(stream.id)).toEqual(['what the ****, friend']);
  });

  test('a blocked word refuses the line with a sentence that names nothing else, and stores nothing', async () => {
    const { viewer, stream } = await room();
    await setRoom(deps, stream, [{ word: 'scam link', mode: 'block' }]);
    const refused = await refusal(sendChat(deps, viewer.user.id, say(stream.id, 'free S C A M link here')));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.reason).toBe('BLOCKED_WORD');
    expect(refused.message).toBe(`Your message ${BLOCKED}`);
    expect(refused.message).not.toContain('scam');
    expect(await storedChat(stream.id)).toEqual([]);
  });

  test('a room’s filter does not apply in another streamer’s room', async () => {
    const mine = await room();
    const theirs = await room();
    await setRoom(deps, mine.stream, [{ word: 'pineapple', mode: 'block' }]);
    await refusal(sendChat(deps, mine.viewer.user.id, say(mine.stream.id, 'pineapple pizza')));
    const sent = await sendChat(deps, theirs.viewer.user.id, say(theirs.stream.id, 'pineapple pizza'));
    expect(sent.message.text).toBe('pineapple pizza');
  });
});

describe('the platform’s list', () => {
  afterAll(() => setPlatform([]));

  test('applies in every room, in whispers, tip notes, titles and bios', async () => {
    await setPlatform([
      { word: 'grape', mode: 'mask' },
      { word: 'durian', mode: 'block' },
    ]);
    const one = await room();
    const two = await room();
    for (const { viewer, stream } of [one, two]) {
      const sent = await sendChat(deps, viewer.user.id, say(stream.id, 'gr4pe soda'));
      expect(sent.message.text).toBe('***** soda');
    }
    const whisper = await sendWhisper(deps, one.viewer.user.id, {
      toUserId: two.viewer.user.id,
      text: 'a grape',
    });
    expect(whisper.text).toBe('a *****');
    const refused = await refusal(
      sendWhisper(deps, one.viewer.user.id, { toUserId: two.viewer.user.id, text: 'd u r i a n' }),
    );
    expect(refused.message).toBe(`Your whisper ${BLOCKED}`);
    const me = await updateProfile(deps, one.viewer.user.id, { bio: 'I like grapes and grape juice' });
    expect(me.bio).toBe('I like grapes and ***** juice');
    expect((await refusal(updateProfile(deps, one.viewer.user.id, { bio: 'durian!' }))).message).toBe(
      `Your bio ${BLOCKED}`,
    );
    const [stored] = await deps.db
      .select({ bio: users.bio })
      .from(users)
      .where(eq(users.id, one.viewer.user.id));
    expect(stored!.bio).toBe('I like grapes and ***** juice');
  });

  test('obscenity’s English list, once an admin switches it on', async () => {
    const { viewer, stream } = await room();
    expect((await sendChat(deps, viewer.user.id, say(stream.id, 'oh fuck'))).message.text).toBe('oh fuck');
    await setPlatform([], 'mask');
    expect((await sendChat(deps, viewer.user.id, say(stream.id, 'oh fuck it'))).message.text).toBe(
      'oh **** it',
    );
    expect((await sendChat(deps, viewer.user.id, say(stream.id, 'classic'))).message.text).toBe('classic');
  });
});

describe('tip notes', () => {
  const tip = (streamId: string, note: string) =>
    sendTipInput.parse({ streamId, amountTokens: 10, note, idempotencyKey: crypto.randomUUID() });

  test('a blocked note refuses the tip whole: no money moves, nothing is stored', async () => {
    const { viewer, stream } = await room();
    await fundWallet(deps, viewer.user.id, 100);
    await setRoom(deps, stream, [{ word: 'refund', mode: 'block' }]);
    const refused = await refusal(tipInRoom(deps, viewer.user.id, tip(stream.id, 'R3FUND me')));
    expect(refused.message).toBe(
      `Your tip note ${BLOCKED} Your tip was not sent; you can send it without a note.`,
    );
    const [row] = await deps.db.select({ n: count() }).from(tips).where(eq(tips.streamId, stream.id));
    expect(row!.n).toBe(0);
  });

  test('a masked note is stored masked, on the tip and on its chat line', async () => {
    const { viewer, stream } = await room();
    await fundWallet(deps, viewer.user.id, 100);
    await setRoom(deps, stream, [{ word: 'refund', mode: 'mask' }]);
    const sent = await tipInRoom(deps, viewer.user.id, tip(stream.id, 'no refund needed'));
    expect(sent.tip.note).toBe('no ****** needed');
    expect(await storedChat(stream.id)).toEqual(['no ****** needed']);
  });
});

describe('stream titles', () => {
  test('the streamer’s own list reads their titles, on create and on edit', async () => {
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const draft = await createTestStream(deps, streamer.user.id, { status: 'ended' });
    await setRoom(deps, draft, [
      { word: 'spoiler', mode: 'mask' },
      { word: 'giveaway', mode: 'block' },
    ]);
    const created = await createStream(deps, streamer.user.id, {
      title: 'Finale spoiler stream',
      description: '',
      tags: [],
      nsfw: false,
      language: 'en',
      settings: {},
    });
    expect(created.title).toBe('Finale ******* stream');
    const refused = await refusal(
      updateStream(deps, streamer.user, { streamId: created.id, title: 'G1VEAWAY' }),
    );
    expect(refused.message).toBe(`The stream title ${BLOCKED}`);
    const [row] = await deps.db
      .select({ title: streams.title })
      .from(streams)
      .where(eq(streams.id, created.id));
    expect(row!.title).toBe('Finale ******* stream');
  });
});

describe('editing a list', () => {
  test('each change is logged with what was added and removed', async () => {
    const { stream } = await room();
    await setRoom(deps, stream, [{ word: 'alpha', mode: 'mask' }]);
    await setRoom(deps, stream, [{ word: 'beta', mode: 'block' }]);
    const logs = await deps.db
      .select({ metadata: moderationLogs.metadata, channelId: moderationLogs.channelId })
      .from(moderationLogs)
      .where(and(eq(moderationLogs.action, 'update_filters'), eq(moderationLogs.streamId, stream.id)));
    expect(logs.at(-1)).toMatchObject({
      channelId: stream.streamerId,
      metadata: { added: [{ word: 'beta', mode: 'block' }], removed: [{ word: 'alpha', mode: 'mask' }] },
    });
    const [row] = await deps.db
      .select({ terms: contentFilters.terms })
      .from(contentFilters)
      .where(eq(contentFilters.channelId, stream.streamerId));
    expect(row!.terms).toEqual([{ word: 'beta', mode: 'block' }]);
  });
});

describe('two nodes on one Redis bus', () => {
  let busA: EventBus;
  let busB: EventBus;
  let closeAll: () => Promise<void>;

  beforeAll(async () => {
    const url = Bun.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const [clientA, clientB] = await Promise.all([connectRedis(url), connectRedis(url)]);
    const prefix = `lumen-filters-test-${process.pid}-${Date.now()}:`;
    busA = await createRedisBus(clientA, prefix);
    busB = await createRedisBus(clientB, prefix);
    closeAll = async () => {
      await Promise.all([busA.close(), busB.close()]);
      clientA.close();
      clientB.close();
    };
  });
  afterAll(() => closeAll());

  test('a change made on one node applies on the other, whose matcher was already built', async () => {
    const nodeA: CoreDeps = { ...deps, bus: busA };
    const nodeB: CoreDeps = { ...deps, bus: busB };
    const { viewer, stream } = await room();
    // Node B builds (and keeps) the room's empty list first.
    expect((await sendChat(nodeB, viewer.user.id, say(stream.id, 'kiwi one'))).message.text).toBe('kiwi one');
    await busB.ready(FILTERS_TOPIC);
    const heard = new Promise<void>((resolve) => {
      const off = busB.subscribe(FILTERS_TOPIC, () => {
        off();
        resolve();
      });
    });
    await setRoom(nodeA, stream, [{ word: 'kiwi', mode: 'mask' }]);
    await heard;
    expect((await sendChat(nodeB, viewer.user.id, say(stream.id, 'kiwi two'))).message.text).toBe('**** two');
  });
});
