import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

// The room economy in two browsers (and a third watching): the streamer sets a goal and a tip menu in the studio,
// a viewer tips a menu item, and everyone in the room sees it all follow from that one tip.
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ payments: false });
}, 120_000);
afterAll(() => platform?.stop());

const PRICE = 1_000;

async function goalProgress(page: Page): Promise<number> {
  return Number(await page.getByTestId('stream-goal').getByRole('progressbar').getAttribute('aria-valuenow'));
}

test('a menu tip moves the goal, names the item in chat, tops the board, crowns the tipper and levels them up; the streamer marks it done', async () => {
  const q = platform.database.query;
  const [stream] = await q<{ id: string }>(
    `update streams set status = 'live', started_at = now() where status = 'draft'
       and streamer_id = (select id from users where username = 'pixelknight') returning id`,
  );
  expect(stream).toBeDefined();

  // The streamer: a goal and a menu item in the studio.
  const streamer = await signIn(platform.browser, 'pixelknight', 'streamer-password-1');
  const studio = streamer.page;
  await studio.goto(`${URLS.web}/studio`);
  const goals = studio.getByTestId('studio-goals');
  const form = goals.getByTestId('goal-create');
  await form.getByTestId('goal-title').fill('New headset');
  await form.getByTestId('goal-target').fill('5000');
  await form.getByTestId('goal-create-submit').click();
  await goals.getByTestId('studio-goal-active').getByText('New headset').waitFor();
  const editor = studio.getByTestId('studio-tip-menu');
  await editor.getByTestId('tip-menu-label').fill('Play my song');
  await editor.getByTestId('tip-menu-price').fill(String(PRICE));
  await editor.getByTestId('tip-menu-save').click();
  await editor.getByTestId('tip-menu-item').filter({ hasText: 'Play my song' }).waitFor();

  // Someone else watching the room, signed out.
  const watcher = await platform.browser.newContext();
  const room = await watcher.newPage();
  await room.goto(`${URLS.web}/live/${stream!.id}`);
  await room.getByTestId('chat-panel').and(room.locator('[data-connected="true"]')).waitFor();
  await room.getByTestId('stream-goal').getByText('Goal: New headset').waitFor();
  expect(await goalProgress(room)).toBe(0);
  await room.getByTestId('stream-board').getByTestId('leaderboard-empty').waitFor();

  // The viewer tips the menu item in one click.
  const viewer = await signIn(platform.browser, 'sofia_lima', 'viewer-password-1');
  const page = viewer.page;
  await page.goto(`${URLS.web}/live/${stream!.id}`);
  const chip = page.getByTestId('header-level');
  await chip.and(page.locator('[data-state="ready"]')).waitFor();
  const levelBefore = Number(await chip.getByTestId('level-badge').getAttribute('data-value'));
  const menu = page.getByTestId('stream-menu');
  await menu
    .getByTestId('stream-menu-item')
    .filter({ hasText: 'Play my song' })
    .getByRole('button', { name: `Tip ${PRICE.toLocaleString('en-US')}` })
    .click();
  const request = menu.getByTestId('stream-menu-request').filter({ hasText: 'Play my song' });
  await request.waitFor();
  expect(await request.getAttribute('data-status')).toBe('queued');

  // In the other browser, within a second of the tip being in: the bar, then the line, the board and the crown.
  await room.waitForFunction(
    (expected) =>
      document
        .querySelector('[data-testid="stream-goal"] [role="progressbar"]')
        ?.getAttribute('aria-valuenow') === String(expected),
    PRICE,
    { timeout: 1_000 },
  );
  const line = room.getByTestId('chat-menu-tip').filter({ hasText: 'Play my song' });
  await line.waitFor();
  expect(await line.textContent()).toMatch(/tipped\s+1,000\s+for\s+Play my song/);
  const [sofia] = await q<{ id: string }>(`select id from users where username = 'sofia_lima'`);
  const top = room.getByTestId('stream-board').getByTestId('leaderboard-entry').first();
  await room
    .locator(`[data-testid="stream-board"] [data-testid="leaderboard-entry"][data-user-id="${sofia!.id}"]`)
    .waitFor();
  expect(await top.getAttribute('data-rank')).toBe('1');
  expect(await top.getAttribute('data-user-id')).toBe(sofia!.id);
  await room.locator(`[data-testid="room-king"][data-user-id="${sofia!.id}"]`).waitFor();
  // The crown beside the king's name in chat, once they write.
  await page.getByLabel('Send a message').fill('Thanks for the stream!');
  await page.getByLabel('Send a message').press('Enter');
  await room
    .getByTestId('chat-message')
    .filter({ hasText: 'Thanks for the stream!' })
    .getByTestId('chat-crown')
    .waitFor();

  // A tip this size lifts a level: the room's chat announces it, the tipper's header shows it.
  const announcement = room.getByTestId('chat-level-up').filter({ hasText: 'Sofia' });
  await announcement.waitFor();
  await page.waitForFunction(
    (before) =>
      Number(
        document
          .querySelector('[data-testid="header-level"] [data-testid="level-badge"]')
          ?.getAttribute('data-value'),
      ) > before,
    levelBefore,
  );

  // The streamer works the queue; the viewer sees their request done.
  const queued = studio.getByTestId('menu-queue-request').filter({ hasText: 'Play my song' });
  await queued.waitFor();
  await queued.getByTestId('menu-queue-done').click();
  await page.locator('[data-testid="stream-menu-request"][data-status="done"]').waitFor();

  await streamer.context.close();
  await viewer.context.close();
  await watcher.close();
}, 120_000);
