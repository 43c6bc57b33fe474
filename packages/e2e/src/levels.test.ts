import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type CoreDeps, DEFAULT_ECONOMY } from '@app/core';
import { fundWallet } from '@app/core/testing';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

test('a tip that lifts a viewer a level: their header and a toast show it, the room’s chat announces it', async () => {
  const q = platform.database.query;
  const [stream] = await q<{ id: string }>(
    `select id from streams where status = 'live' order by id limit 1`,
  );
  const [maya] = await q<{ id: string; name: string }>(
    `select id, display_name as name from users where username = 'maya_reads'`,
  );
  // Enough tokens for a 500 tip, whatever the seed left in the wallet.
  await fundWallet(
    { db: platform.database.db, economy: DEFAULT_ECONOMY } as unknown as CoreDeps,
    maya!.id,
    1_000,
  );

  // Someone else in the room (a guest) watches the chat.
  const guest = await platform.browser.newContext();
  const room = await guest.newPage();
  await room.goto(`${URLS.web}/live/${stream!.id}`);
  await room.getByTestId('chat-panel').and(room.locator('[data-connected="true"]')).waitFor();

  const { context, page } = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  await page.goto(`${URLS.web}/live/${stream!.id}`);
  const chip = page.getByTestId('header-level');
  await chip.and(page.locator('[data-state="ready"]')).waitFor();
  const before = Number(await chip.getByTestId('level-badge').getAttribute('data-value'));

  await page.getByTestId('tip-button').click();
  const dialog = page.getByTestId('tip-dialog');
  await dialog.getByLabel('500 tokens').check();
  await dialog.getByTestId('tip-send').click();
  await dialog.waitFor({ state: 'hidden' });

  // The projector picks the tip up within moments: the room is told, the tipper celebrated.
  const announcement = room.getByTestId('chat-level-up').last();
  await announcement.waitFor({ timeout: 15_000 });
  const text = (await announcement.textContent()) ?? '';
  const match = text.match(/reached level (\d+) · (\w+)/);
  expect(text).toContain(maya!.name);
  expect(match).not.toBeNull();
  const level = Number(match![1]);
  expect(level).toBeGreaterThan(before);
  await page.getByText(`You reached level ${level}`).waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    (expected) =>
      document
        .querySelector('[data-testid="header-level"] [data-testid="level-badge"]')
        ?.getAttribute('data-value') === String(expected),
    level,
  );
  // Maya's next chat line carries her new level badge.
  await page.getByLabel('Send a message').fill('Level up!');
  await page.keyboard.press('Enter');
  const line = room.getByTestId('chat-message').filter({ hasText: 'Level up!' });
  await line.waitFor();
  expect(await line.getByTestId('level-badge').getAttribute('data-value')).toBe(String(level));
  await context.close();
  await guest.close();
}, 120_000);
