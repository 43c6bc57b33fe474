import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { UserEvent } from '../events/user.ts';
import { userFeed } from '../events/user-feed.ts';
import { banUser } from '../moderation/platform-ban.ts';
import { createTestDeps, createTestUser, refusal, type TestDeps } from '../testing.ts';
import { conversations, markWhispersRead, sendWhisper, whisperThread } from './whispers.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(async () => {
  await deps.database.drop();
});

describe('whispers', () => {
  test('an inbox per person, newest first, with unread counts that reading clears', async () => {
    const ana = await createTestUser(deps);
    const ben = await createTestUser(deps);
    const cai = await createTestUser(deps);
    await sendWhisper(deps, ben.user.id, { toUserId: ana.user.id, text: 'hi ana' });
    await sendWhisper(deps, ben.user.id, { toUserId: ana.user.id, text: 'are you there?' });
    await sendWhisper(deps, cai.user.id, { toUserId: ana.user.id, text: '<b>yo</b>' });
    await sendWhisper(deps, ana.user.id, { toUserId: ben.user.id, text: 'yes!' });

    const inbox = await conversations(deps, ana.user.id);
    expect(
      inbox.items.map((c) => [c.peer.username, c.lastMessage.text, c.lastMessage.fromMe, c.unreadCount]),
    ).toEqual([
      [ben.user.username, 'yes!', true, 2],
      [cai.user.username, '<b>yo</b>', false, 1],
    ]);
    expect(inbox.unreadTotal).toBe(3);
    expect((await conversations(deps, ben.user.id)).unreadTotal).toBe(1);

    const thread = await whisperThread(deps, ana.user.id, { userId: ben.user.id, limit: 2 });
    expect(thread.items.map((m) => m.text)).toEqual(['are you there?', 'yes!']);
    const older = await whisperThread(deps, ana.user.id, {
      userId: ben.user.id,
      limit: 2,
      cursor: thread.nextCursor,
    });
    expect(older.items.map((m) => m.text)).toEqual(['hi ana']);
    expect(older.nextCursor).toBeNull();

    expect(await markWhispersRead(deps, ana.user.id, ben.user.id)).toEqual({ read: 2 });
    const after = await conversations(deps, ana.user.id);
    expect(after.unreadTotal).toBe(1);
    expect(after.items[0]!.unreadCount).toBe(0);
  });

  test('a whisper reaches the recipient’s and the sender’s live feeds', async () => {
    const ana = await createTestUser(deps);
    const ben = await createTestUser(deps);
    const abort = new AbortController();
    const heard: UserEvent[] = [];
    const reading = (async () => {
      for await (const event of await userFeed(deps, ana.user.id, ana.sessionId, abort.signal)) {
        heard.push(event);
        abort.abort();
      }
    })();
    await Bun.sleep(20);
    const sent = await sendWhisper(deps, ben.user.id, { toUserId: ana.user.id, text: 'psst' });
    await reading;
    expect(heard).toEqual([{ type: 'whisper', message: sent }]);
    expect(sent.from.username).toBe(ben.user.username);
  });

  test('a feed hears everything sent once it has resolved: no gap at its start', async () => {
    const ana = await createTestUser(deps);
    const ben = await createTestUser(deps);
    const feed = await userFeed(deps, ana.user.id, ana.sessionId);
    const sent = await sendWhisper(deps, ben.user.id, { toUserId: ana.user.id, text: 'right away' });
    expect((await feed.next()).value).toEqual({ type: 'whisper', message: sent });
    await feed.return(undefined);
  });

  test('a platform ban ends the banned user’s live feed', async () => {
    const admin = await createTestUser(deps, { role: 'admin' });
    const target = await createTestUser(deps);
    const feed = await userFeed(deps, target.user.id, target.sessionId);
    const next = feed.next();
    await Bun.sleep(20);
    await banUser(deps, admin.user.id, target.user.id, 'spam');
    const error = await refusal(next);
    expect(error.message).toBe('Your session has ended. Sign in again.');
  });

  test('refused: to yourself, to a banned account, to nobody; nothing is stored', async () => {
    const ana = await createTestUser(deps);
    const banned = await createTestUser(deps, { banned: true });
    expect(
      (await refusal(sendWhisper(deps, ana.user.id, { toUserId: ana.user.id, text: 'me' }))).message,
    ).toBe('You cannot whisper to yourself.');
    expect(
      (await refusal(sendWhisper(deps, ana.user.id, { toUserId: banned.user.id, text: 'hey' }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await refusal(sendWhisper(deps, ana.user.id, { toUserId: crypto.randomUUID(), text: 'hey' }))).code,
    ).toBe('NOT_FOUND');
    expect((await conversations(deps, ana.user.id)).items).toEqual([]);
  });
});
