import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createStream } from '@app/core';
import {
  createTestDeps,
  createTestUser,
  livekitEvent,
  signedLivekitWebhook,
  type TestDeps,
} from '@app/core/testing';
import { livekitWebhookEvents, streams } from '@app/db/schema';
import { count, eq } from 'drizzle-orm';
import { type App, createApp } from '../app.ts';
import { parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';

let deps: TestDeps;
let app: App;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp({
    runtime: { deps, database: deps.database, redis: null, close: async () => {} },
    env: parseEnv({ DATABASE_URL: deps.database.url }),
    log: createLogger('silent'),
  });
});
afterAll(() => deps.database.drop());

const post = (body: string, headers: Record<string, string> = {}) =>
  app.handle(
    new Request('http://localhost:3000/webhooks/livekit', {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', ...headers },
      body,
    }),
  );

async function draftStream() {
  const { user } = await createTestUser(deps, { role: 'streamer' });
  const view = await createStream(deps, user.id, {
    title: 'Webhook show',
    description: '',
    tags: [],
    nsfw: false,
    language: 'en',
    settings: {},
  });
  return { id: view.id, room: `stream-${view.id}` };
}

const statusOf = async (id: string) =>
  (await deps.db.select({ status: streams.status }).from(streams).where(eq(streams.id, id)))[0]!.status;
const storedEvents = async () => (await deps.db.select({ n: count() }).from(livekitWebhookEvents))[0]!.n;

describe('POST /webhooks/livekit', () => {
  test('a webhook signed the way LiveKit signs it drives the stream live, then ended; a replay changes nothing', async () => {
    const stream = await draftStream();
    const started = await signedLivekitWebhook(livekitEvent('room_started', stream.room));
    const response = await post(started.body, { authorization: started.authorization });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true, outcome: { outcome: 'applied' } });
    expect(await statusOf(stream.id)).toBe('live');

    const replay = await post(started.body, { authorization: started.authorization });
    expect(await replay.json()).toMatchObject({ outcome: { outcome: 'duplicate' } });

    const finished = await signedLivekitWebhook(livekitEvent('room_finished', stream.room));
    await post(finished.body, { authorization: finished.authorization });
    expect(await statusOf(stream.id)).toBe('ended');
  });

  test('a missing, forged or mismatched signature gets 401 and changes nothing', async () => {
    const stream = await draftStream();
    const event = livekitEvent('room_started', stream.room);
    const genuine = await signedLivekitWebhook(event);
    const forged = await signedLivekitWebhook(event, { apiKey: 'devkey', apiSecret: 'not-the-secret' });
    const otherBody = await signedLivekitWebhook(livekitEvent('room_finished', stream.room));
    const before = await storedEvents();
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nonsense' },
      { authorization: forged.authorization },
      // A real signature, but of another body.
      { authorization: otherBody.authorization },
    ];
    for (const headers of attempts) {
      const response = await post(genuine.body, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'The webhook signature is missing or wrong.' });
    }
    expect(await statusOf(stream.id)).toBe('draft');
    expect(await storedEvents()).toBe(before);
  });

  test('an oversized body is refused before anything is parsed', async () => {
    const response = await post('x'.repeat(300 * 1024), { authorization: 'whatever' });
    expect(response.status).toBe(413);
  });
});
