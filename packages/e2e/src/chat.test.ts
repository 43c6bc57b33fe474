import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { goLive, openStreamChat, type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;
let streamId: string;

/** How long a chat line may take from one viewer's Enter to another viewer's screen. */
const DELIVERY_BUDGET_MS = 1000;

beforeAll(async () => {
  platform = await startPlatform();
  // luna_sings goes live (the media side is not needed for chat).
  streamId = await goLive(platform, 'luna_sings');
}, 120_000);
afterAll(() => platform?.stop());

const openChat = (page: Page) => openStreamChat(page, streamId);

function line(page: Page, text: string) {
  return page.getByTestId('chat-message').filter({ hasText: text });
}

async function send(page: Page, text: string) {
  const input = page.getByTestId('chat-input');
  await input.fill(text);
  await input.press('Enter');
}

test('chat: a line reaches another viewer within a second, markup stays text, the streamer deletes it for everyone', async () => {
  const viewer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const streamer = await signIn(platform.browser, 'luna_sings', 'streamer-password-1');
  await Promise.all([openChat(viewer.page), openChat(streamer.page)]);

  // Live viewer count from the room (both of us are in it).
  await viewer.page.waitForFunction(
    () => Number(document.querySelector('[data-testid="viewer-count"]')?.getAttribute('data-value')) >= 1,
    undefined,
    { timeout: 15_000 },
  );
  expect(
    Number(await viewer.page.getByTestId('viewer-count').getAttribute('data-value')),
  ).toBeGreaterThanOrEqual(1);

  // One viewer's line on the other's screen, timed from the key press.
  const hello = `Hello Luna! ${Date.now()}`;
  await viewer.page.getByTestId('chat-input').fill(hello);
  const arrived = line(streamer.page, hello).waitFor({ timeout: 5_000 });
  const started = Date.now();
  await viewer.page.getByTestId('chat-input').press('Enter');
  await arrived;
  const elapsedMs = Date.now() - started;
  expect(elapsedMs).toBeLessThan(DELIVERY_BUDGET_MS);
  // The sender sees the stored line once (the pending copy was replaced, not doubled).
  await line(viewer.page, hello).waitFor();
  await viewer.page.getByTestId('chat-pending').waitFor({ state: 'detached' });
  expect(await line(viewer.page, hello).count()).toBe(1);
  expect(await line(streamer.page, hello).count()).toBe(1);

  // A script tag is shown as the characters typed, and never runs.
  const payload = '<script>window.__pwned=1</script>';
  await send(viewer.page, payload);
  for (const page of [viewer.page, streamer.page]) {
    const shown = line(page, payload);
    await shown.waitFor({ timeout: 5_000 });
    expect(await shown.getByTestId('chat-message-text').textContent()).toBe(payload);
    expect(await page.getByTestId('chat-panel').locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  }

  // Viewers get no moderation menu; the streamer gets one on others' lines but not on her own.
  expect(await viewer.page.getByTestId('message-menu').count()).toBe(0);
  const own = `Thanks for coming ${Date.now()}`;
  await send(streamer.page, own);
  await line(viewer.page, own).waitFor({ timeout: 5_000 });
  expect(await line(streamer.page, own).getByTestId('message-menu').count()).toBe(0);

  // The streamer deletes the payload line: it vanishes on both screens.
  const target = line(streamer.page, payload);
  const messageId = await target.getAttribute('data-message-id');
  expect(messageId).toMatch(/^\d+$/);
  await target.hover();
  await target.getByTestId('message-menu').click();
  await target.getByTestId('delete-message').click();
  const selector = `[data-testid="chat-message"][data-message-id="${messageId}"]`;
  await Promise.all([
    streamer.page.locator(selector).waitFor({ state: 'detached', timeout: 5_000 }),
    viewer.page.locator(selector).waitFor({ state: 'detached', timeout: 5_000 }),
  ]);
  // The other lines stay.
  expect(await line(viewer.page, hello).count()).toBe(1);

  // Reloading shows the same chat from history, without the deleted line.
  await openChat(viewer.page);
  await line(viewer.page, hello).waitFor();
  expect(await viewer.page.locator(selector).count()).toBe(0);

  // The streamer times the viewer out from the menu: the viewer's composer says so at once, with the reason.
  const spoken = line(streamer.page, hello);
  await spoken.hover();
  await spoken.getByTestId('message-menu').click();
  await spoken.getByTestId('timeout-user').click();
  await spoken.getByTestId('moderation-reason').fill('spoilers');
  await spoken.getByTestId('timeout-confirm').click();
  const restricted = viewer.page.getByTestId('chat-restricted');
  await restricted.waitFor({ timeout: 5_000 });
  expect(await restricted.textContent()).toContain('spoilers');
  expect(await viewer.page.getByTestId('chat-send').isDisabled()).toBe(true);

  await viewer.context.close();
  await streamer.context.close();
}, 90_000);

test('whispers: a message from a profile arrives live, with an unread badge that clears once read', async () => {
  const sender = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const recipient = await signIn(platform.browser, 'luna_sings', 'streamer-password-1');
  await recipient.page.goto(`${URLS.web}/`);
  await recipient.page.getByTestId('header-messages').waitFor();

  await sender.page.goto(`${URLS.web}/u/luna_sings`);
  await sender.page.getByTestId('message-button').click();
  await sender.page.waitForURL(`${URLS.web}/messages/luna_sings`);
  const text = `Loved the set tonight <3 ${Date.now()}`;
  const input = sender.page.getByTestId('whisper-input');
  await input.fill(text);
  await input.press('Enter');
  await sender.page.getByTestId('whisper').filter({ hasText: text }).waitFor();

  // The recipient's header counts it without a reload.
  const badge = recipient.page.getByTestId('unread-badge');
  await badge.waitFor({ timeout: 10_000 });
  expect(Number(await badge.getAttribute('data-value'))).toBeGreaterThanOrEqual(1);

  await recipient.page.getByTestId('header-messages').click();
  await recipient.page.waitForURL(`${URLS.web}/messages`);
  const row = recipient.page.locator('[data-testid="conversation-row"][data-username="maya_reads"]');
  await row.waitFor();
  expect(await row.getByTestId('conversation-unread').textContent()).toContain('1');
  await row.click();
  await recipient.page.waitForURL(`${URLS.web}/messages/maya_reads`);
  await recipient.page.getByTestId('whisper').filter({ hasText: text }).waitFor();
  await badge.waitFor({ state: 'detached', timeout: 10_000 });

  // A reply shows up in the open conversation on the other side.
  const reply = `Thank you! ${Date.now()}`;
  await recipient.page.getByTestId('whisper-input').fill(reply);
  await recipient.page.getByTestId('whisper-input').press('Enter');
  await sender.page.getByTestId('whisper').filter({ hasText: reply }).waitFor({ timeout: 5_000 });

  await sender.context.close();
  await recipient.context.close();
}, 90_000);

test('sessions: signed in in two tabs, logging out in one closes the other’s chat connection and it says signed out', async () => {
  const first = await signIn(platform.browser, 'liam_plays', 'viewer-password-1');
  const second = await first.context.newPage();
  const closed = new Promise<void>((resolve) => {
    second.on('websocket', (socket) => {
      if (socket.url().endsWith('/trpc')) socket.on('close', () => resolve());
    });
  });
  await Promise.all([openChat(first.page), openChat(second)]);
  await second.getByTestId('user-menu-button').waitFor();

  await first.page.getByTestId('user-menu-button').click();
  await first.page.getByTestId('logout').click();

  // The other tab: its live connection is closed by the server, and the page shows the person signed out.
  await closed;
  await second.getByTestId('chat-signed-out').waitFor({ timeout: 5_000 });
  await second.getByText('You’ve been signed out.', { exact: false }).first().waitFor({ timeout: 5_000 });
  await second.getByTestId('user-menu-button').waitFor({ state: 'detached', timeout: 5_000 });
  await first.context.close();
}, 60_000);
