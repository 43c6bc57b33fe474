import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { goLive, openStreamChat, type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;
let streamId: string;

beforeAll(async () => {
  platform = await startPlatform();
  streamId = await goLive(platform, 'luna_sings');
}, 120_000);
afterAll(() => platform?.stop());

const openChat = (page: Page) => openStreamChat(page, streamId);

test('a streamer masks a word in the studio; a viewer writes it in chat; a second browser sees it masked', async () => {
  const streamer = await signIn(platform.browser, 'luna_sings', 'streamer-password-1');
  await streamer.page.goto(`${URLS.web}/studio`);
  const panel = streamer.page.getByTestId('room-filters-panel');
  await panel.getByTestId('room-filters-empty').waitFor();
  await panel.getByTestId('room-filters-word').fill('pineapple');
  await panel.getByTestId('room-filters-mode').selectOption('mask');
  await panel.getByTestId('room-filters-add').click();
  await panel.getByTestId('room-filters-term').filter({ hasText: 'pineapple' }).waitFor();
  await panel.getByTestId('room-filters-save').click();
  await panel.getByTestId('room-filters-saved').waitFor();

  const writer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const reader = await signIn(platform.browser, 'tomasz_k', 'viewer-password-1');
  await Promise.all([openChat(writer.page), openChat(reader.page)]);
  const input = writer.page.getByTestId('chat-input');
  await input.fill('I put P1NEAPPLE on pizza, sorry');
  await input.press('Enter');

  const shown = reader.page.getByTestId('chat-message').filter({ hasText: 'on pizza, sorry' });
  await shown.waitFor({ timeout: 5_000 });
  expect(await shown.getByTestId('chat-message-text').textContent()).toBe('I put ********* on pizza, sorry');
  expect(await reader.page.getByTestId('chat-panel').textContent()).not.toContain('P1NEAPPLE');
  // The writer's own screen shows the stored line, masked, once the server answered.
  const own = writer.page.getByTestId('chat-message').filter({ hasText: 'on pizza, sorry' });
  await writer.page.getByTestId('chat-pending').waitFor({ state: 'detached' });
  expect(await own.getByTestId('chat-message-text').textContent()).toBe('I put ********* on pizza, sorry');

  for (const session of [streamer, writer, reader]) await session.context.close();
}, 120_000);
