import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { roomChannelId } from '@app/api/client';
import { flushActivity } from '@app/core';
import { createTestStream, createTestUser } from '@app/core/testing';
import { userLevels } from '@app/db/schema';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { eq } from 'drizzle-orm';
import { parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
import { mutate, openSocket, sessionCookie } from './testing.ts';

setDefaultTimeout(20_000);

let database: TestDatabase;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer(
    {
      ...parseEnv({ DATABASE_URL: database.url, HOST: '127.0.0.1', CHAT_USER_LIMIT: '1000' }),
      PORT: 0,
    },
    createLogger('silent'),
  );
});
afterAll(async () => {
  await server.stop();
  await database.drop();
});

async function activityXp(userId: string) {
  await flushActivity(server.runtime.deps);
  const [row] = await server.runtime.deps.db.select().from(userLevels).where(eq(userLevels.userId, userId));
  return row!.activityXp;
}

describe('activity XP through the server', () => {
  test('a signed-in viewer with two tabs open earns one watch XP a minute', async () => {
    const deps = server.runtime.deps;
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const viewer = await createTestUser(deps);
    const stream = await createTestStream(deps, streamer.user.id);
    const tabs = [
      await openSocket(server.url, sessionCookie(viewer.token)),
      await openSocket(server.url, sessionCookie(viewer.token)),
    ];
    for (const tab of tabs) tab.subscribe(roomChannelId(stream.id), stream.id);
    for (const tab of tabs) {
      await tab.until(() => tab.events(roomChannelId(stream.id)).length > 0, 'the arrival', 6000);
    }
    await server.hub.creditWatch();
    expect(await activityXp(viewer.user.id)).toBe(1);
    // The same minute again adds nothing.
    await server.hub.creditWatch();
    expect(await activityXp(viewer.user.id)).toBe(1);
    for (const tab of tabs) tab.close();
  });

  test('chat.send counts 1 XP for the line', async () => {
    const deps = server.runtime.deps;
    const streamer = await createTestUser(deps, { role: 'streamer' });
    const viewer = await createTestUser(deps);
    const stream = await createTestStream(deps, streamer.user.id);
    const sent = await mutate(server.url, sessionCookie(viewer.token), 'chat.send', {
      streamId: stream.id,
      text: 'hi there',
      clientMessageId: crypto.randomUUID(),
    });
    expect(sent.ok).toBe(true);
    expect(await activityXp(viewer.user.id)).toBe(1);
  });
});
