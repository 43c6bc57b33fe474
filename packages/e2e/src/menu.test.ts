import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

test('the streamer builds a tip menu; a viewer tips an item in one click; chat names it; the streamer marks it done and the viewer sees it', async () => {
  const q = platform.database.query;
  const [stream] = await q<{ id: string }>(
    `update streams set status = 'live', started_at = now() where status = 'draft'
       and streamer_id = (select id from users where username = 'luna_sings') returning id`,
  );
  expect(stream).toBeDefined();

  const streamer = await signIn(platform.browser, 'luna_sings', 'streamer-password-1');
  const studio = streamer.page;
  await studio.goto(`${URLS.web}/studio`);
  const editor = studio.getByTestId('studio-tip-menu');
  await editor.getByTestId('tip-menu-empty').waitFor();
  for (const [label, price] of [
    ['Song request', '50'],
    ['Shout-out', '20'],
  ] as const) {
    await editor.getByTestId('tip-menu-label').fill(label);
    await editor.getByTestId('tip-menu-price').fill(price);
    await editor.getByTestId('tip-menu-save').click();
    await editor.getByTestId('tip-menu-item').filter({ hasText: label }).waitFor();
  }
  // Shout-out first.
  await editor.getByRole('button', { name: 'Move Shout-out up' }).click();
  await studio.waitForFunction(() =>
    document
      .querySelector('[data-testid="studio-tip-menu"] [data-testid="tip-menu-item"]')
      ?.textContent?.includes('Shout-out'),
  );
  await studio.getByTestId('studio-menu-queue').getByTestId('menu-queue-empty').waitFor();

  const viewer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const watch = viewer.page;
  await watch.goto(`${URLS.web}/live/${stream!.id}`);
  const menu = watch.getByTestId('stream-menu');
  const items = menu.getByTestId('stream-menu-item');
  await items.first().waitFor();
  expect(await items.allTextContents()).toEqual([
    expect.stringContaining('Shout-out'),
    expect.stringContaining('Song request'),
  ]);
  const balance = menu.getByTestId('stream-menu-balance');
  await balance.waitFor();
  const before = Number(await balance.getAttribute('data-value'));
  await items.filter({ hasText: 'Song request' }).getByRole('button', { name: 'Tip 50' }).click();
  await menu.getByTestId('stream-menu-request').filter({ hasText: 'Song request' }).waitFor();
  expect(await menu.getByTestId('stream-menu-request').getAttribute('data-status')).toBe('queued');
  await watch.waitForFunction(
    (expected) =>
      document.querySelector('[data-testid="stream-menu-balance"]')?.getAttribute('data-value') ===
      String(expected),
    before - 50,
  );

  // The line in the streamer's chat, and the request in their queue, live.
  const line = studio.getByTestId('chat-menu-tip').filter({ hasText: 'Song request' });
  await line.waitFor();
  expect(await line.textContent()).toMatch(/Maya Patel\s+tipped\s+50\s+for\s+Song request/);
  const request = studio.getByTestId('menu-queue-request').filter({ hasText: 'Song request' });
  await request.waitFor();
  await request.getByTestId('menu-queue-done').click();
  await request.waitFor({ state: 'detached' });

  await watch.locator('[data-testid="stream-menu-request"][data-status="done"]').waitFor();
  await streamer.context.close();
  await viewer.context.close();
}, 120_000);

test('a spending limit set in settings refuses a menu tip with the time it resets', async () => {
  const q = platform.database.query;
  const [stream] = await q<{ id: string }>(
    `select id from streams where status = 'live'
       and streamer_id = (select id from users where username = 'luna_sings')`,
  );
  // What the demo viewer already tipped today (the seed and the test above): a limit 10 tokens above it.
  const [spent] = await q<{ tokens: number }>(
    `select coalesce(sum(amount_tokens), 0)::int as tokens from tips
       where from_user_id = (select id from users where username = 'maya_reads')
         and created_at >= date_trunc('day', now(), 'UTC')`,
  );
  const limit = spent!.tokens + 10;
  const viewer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const page = viewer.page;
  await page.goto(`${URLS.web}/settings/limits`);
  await page.locator('[data-testid="limits-form"][data-ready="true"]').waitFor();
  await page.getByTestId('limits-daily').fill(String(limit));
  await page.getByTestId('limits-save').click();
  await page
    .getByTestId('limits-spent-today')
    .filter({ hasText: `of ${limit.toLocaleString('en-US')} tokens` })
    .waitFor();

  await page.goto(`${URLS.web}/live/${stream!.id}`);
  const menu = page.getByTestId('stream-menu');
  await menu.getByRole('button', { name: 'Tip 50' }).click();
  const error = menu.getByTestId('stream-menu-error');
  await error.waitFor();
  expect(await error.textContent()).toContain(
    `past your daily limit of ${limit.toLocaleString('en-US')} tokens (10 left today)`,
  );
  expect(await error.textContent()).toContain('resets at 00:00 UTC');

  // Raising waits 24 hours, and the page says when it applies.
  await page.goto(`${URLS.web}/settings/limits`);
  await page.locator('[data-testid="limits-form"][data-ready="true"]').waitFor();
  await page.getByTestId('limits-daily').fill(String(limit + 500));
  await page.getByTestId('limits-save').click();
  await page.getByTestId('limits-pending').waitFor();
  expect(await page.getByTestId('limits-pending').textContent()).toContain(
    `daily ${(limit + 500).toLocaleString('en-US')} tokens`,
  );
  await viewer.context.close();
}, 120_000);
