import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { goLive, openStreamChat, type Platform, signIn, signInPage, startPlatform } from './harness.ts';

let platform: Platform;
let streamId: string;

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

beforeAll(async () => {
  platform = await startPlatform();
  // luna_sings goes live (the media side is not needed for chat); tomasz_k moderates her channel.
  streamId = await goLive(platform, 'luna_sings');
  await platform.database.query(
    `insert into channel_moderators (channel_id, user_id)
       select s.id, m.id from users s, users m where s.username = 'luna_sings' and m.username = 'tomasz_k'`,
  );
}, 120_000);
afterAll(() => platform?.stop());

async function signInAs(browser: Browser, login: string, password: string, options = DESKTOP) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signInPage(page, login, password);
  return { context, page };
}

const openChat = (page: Page) => openStreamChat(page, streamId);

const line = (page: Page, text: string) => page.getByTestId('chat-message').filter({ hasText: text });

async function send(page: Page, text: string) {
  const input = page.getByTestId('chat-input');
  await input.fill(text);
  await input.press('Enter');
  await line(page, text).waitFor({ timeout: 5_000 });
}

/**
 * Every pair (a message's text line box, one of its buttons: reactions, react, moderate) whose boxes meet. Text
 * is measured per rendered line, so a wrapped message is as wide as its lines, not its whole paragraph.
 */
function overlaps(page: Page) {
  return page.evaluate(() => {
    const meet = (a: DOMRect, b: DOMRect) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const found: string[] = [];
    for (const message of document.querySelectorAll('[data-testid="chat-message"]')) {
      const text = message.querySelector('[data-testid="chat-message-text"]');
      if (!text) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      const lines = [...range.getClientRects()].filter((rect) => rect.width > 0);
      for (const button of message.querySelectorAll('button')) {
        const box = button.getBoundingClientRect();
        if (box.width === 0) continue;
        if (lines.some((rect) => meet(rect, box)))
          found.push(`${button.getAttribute('aria-label')} over “${text.textContent}”`);
      }
    }
    return found;
  });
}

test('phone: the player stays on top, chat comes next with its input in view, details are a tab; no button covers text', async () => {
  const viewer = await signInAs(platform.browser, 'maya_reads', 'viewer-password-1', PHONE);
  await openChat(viewer.page);
  const page = viewer.page;
  const long = `A long line that wraps across the whole width of a phone's chat, twice at least ${Date.now()}`;
  await send(page, long);
  await send(page, 'short one');
  // A reaction under the long line.
  await line(page, long).getByTestId('react-button').click();
  await line(page, long).getByRole('button', { name: 'React 🔥' }).click();
  await line(page, long).getByTestId('chat-reaction').waitFor();

  const player = (await page.getByTestId('player').boundingBox())!;
  const chat = (await page.getByTestId('chat-panel').boundingBox())!;
  const input = (await page.getByTestId('chat-input').boundingBox())!;
  expect(player.y + player.height).toBeLessThanOrEqual(chat.y);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(input.y + input.height).toBeLessThanOrEqual(PHONE.viewport.height);
  // The whole composer, send button included.
  expect(chat.y + chat.height).toBeLessThanOrEqual(PHONE.viewport.height);
  expect(await page.getByTestId('stream-title').isVisible()).toBe(false);
  expect(await overlaps(page)).toEqual([]);
  // The header fits the phone: its search is an icon (the box would run under the balance), nothing overlaps.
  expect(await page.locator('header').getByTestId('search-input').isVisible()).toBe(false);
  const header = await page.evaluate(() => {
    const items = [...document.querySelectorAll('header .start > *, header .end > *')]
      .map((element) => element.getBoundingClientRect())
      .filter((box) => box.width > 0);
    const clashes = items.filter((box, i) =>
      items.slice(i + 1).some((other) => box.right > other.left + 0.5 && other.right > box.left + 0.5),
    );
    return {
      clashes: clashes.length,
      right: Math.max(...items.map((box) => box.right)),
      width: window.innerWidth,
    };
  });
  expect(header.clashes).toBe(0);
  expect(header.right).toBeLessThanOrEqual(header.width);
  await page.getByTestId('header-search-link').click();
  await page.waitForURL((url) => url.pathname === '/search');
  await page.goBack();
  await page.getByTestId('chat-panel').waitFor();

  // Details are one tap away, and chat is back with another; the player stays on top of a scrolled page.
  await page.getByTestId('stream-tab-about').click();
  await page.getByTestId('stream-title').waitFor();
  expect(await page.getByTestId('chat-panel').isVisible()).toBe(false);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const stuck = (await page.getByTestId('player').boundingBox())!;
  expect(stuck.y).toBeGreaterThanOrEqual(0);
  expect(stuck.y).toBeLessThan(100);
  await page.getByTestId('stream-tab-chat').click();
  await page.getByTestId('chat-input').waitFor();
  await line(page, 'short one').waitFor();
  await viewer.context.close();
}, 90_000);

test('desktop: title, details and chat side by side, no tabs; a hovered line’s buttons leave its text clear', async () => {
  const viewer = await signInAs(platform.browser, 'sofia_lima', 'viewer-password-1');
  await openChat(viewer.page);
  const page = viewer.page;
  const long = `Desktop chat is narrow too, so a long line reaches the buttons' corner ${Date.now()}`;
  await send(page, long);
  expect(await page.getByTestId('stream-title').isVisible()).toBe(true);
  expect(await page.getByTestId('chat-panel').isVisible()).toBe(true);
  expect(await page.getByTestId('stream-tab-chat').isVisible()).toBe(false);
  const title = (await page.getByTestId('stream-title').boundingBox())!;
  const chat = (await page.getByTestId('chat-panel').boundingBox())!;
  expect(chat.x).toBeGreaterThan(title.x + title.width - 1);
  await line(page, long).hover();
  expect(await overlaps(page)).toEqual([]);
  await viewer.context.close();
}, 60_000);

test('moderation: the timeout form keeps the line in view, and “remove their recent messages” clears it for every viewer', async () => {
  const troll = await signIn(platform.browser, 'diego_mx', 'viewer-password-1');
  const moderator = await signIn(platform.browser, 'tomasz_k', 'viewer-password-1');
  const bystander = await signIn(platform.browser, 'kenji_watches', 'viewer-password-1');
  await Promise.all([openChat(troll.page), openChat(moderator.page), openChat(bystander.page)]);
  const stamp = Date.now();
  const spam = [`BUY FOLLOWERS ${stamp}`, `cheap followers here ${stamp}`, `last one ${stamp}`];
  for (const text of spam) await send(troll.page, text);
  const kept = `hi everyone ${stamp}`;
  await send(bystander.page, kept);
  for (const text of spam) await line(bystander.page, text).waitFor({ timeout: 5_000 });

  const target = line(moderator.page, spam[1]!);
  await target.waitFor();
  await target.hover();
  await target.getByTestId('message-menu').click();
  await target.getByTestId('timeout-user').click();
  // The form does not cover the line it acts on, and quotes it.
  const form = (await moderator.page.getByTestId('moderation-popover').boundingBox())!;
  const text = (await target.getByTestId('chat-message-text').boundingBox())!;
  const meet =
    form.x < text.x + text.width &&
    text.x < form.x + form.width &&
    form.y < text.y + text.height &&
    text.y < form.y + form.height;
  expect(meet).toBe(false);
  expect(await moderator.page.getByTestId('moderation-quote').textContent()).toContain(spam[1]!);

  await moderator.page.getByTestId('moderation-reason').fill('spam');
  await moderator.page.getByTestId('moderation-remove-recent').check();
  await moderator.page.getByTestId('timeout-confirm').click();
  for (const page of [bystander.page, moderator.page, troll.page]) {
    for (const text of spam) await line(page, text).waitFor({ state: 'detached', timeout: 5_000 });
  }
  expect(await line(bystander.page, kept).count()).toBe(1);
  await bystander.page.reload();
  await openChat(bystander.page);
  await line(bystander.page, kept).waitFor();
  for (const text of spam) expect(await line(bystander.page, text).count()).toBe(0);

  for (const session of [troll, moderator, bystander]) await session.context.close();
}, 90_000);

test('badges: the streamer, a channel moderator, an admin and a platform moderator are marked in chat', async () => {
  const speakers = [
    {
      login: 'luna_sings',
      password: 'streamer-password-1',
      badge: 'streamer',
      label: 'Streamer of this channel',
    },
    {
      login: 'tomasz_k',
      password: 'viewer-password-1',
      badge: 'moderator',
      label: 'Moderator of this channel',
    },
    { login: 'admin', password: 'admin-password-1', badge: 'admin', label: 'Lumen admin' },
    { login: 'moderator', password: 'moderator-password-1', badge: 'staff', label: 'Lumen staff' },
  ];
  const watcher = await signIn(platform.browser, 'amara_o', 'viewer-password-1');
  await openChat(watcher.page);
  for (const speaker of speakers) {
    const session = await signIn(platform.browser, speaker.login, speaker.password);
    await openChat(session.page);
    const text = `hello from ${speaker.login} ${Date.now()}`;
    await send(session.page, text);
    const seen = line(watcher.page, text);
    await seen.waitFor({ timeout: 5_000 });
    const badges = seen.getByTestId('chat-badge');
    expect(await badges.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-badge')))).toEqual(
      [speaker.badge],
    );
    expect(await badges.getAttribute('aria-label')).toBe(speaker.label);
    await session.context.close();
  }
  await watcher.context.close();
}, 90_000);
