import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { goLive, openStreamChat, type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;
let streamId: string;

beforeAll(async () => {
  platform = await startPlatform();
  // luna_sings goes live (the media side is not needed for chat).
  streamId = await goLive(platform, 'luna_sings');
}, 120_000);
afterAll(() => platform?.stop());

const openChat = (page: Page) => openStreamChat(page, streamId);

const line = (page: Page, text: string) => page.getByTestId('chat-message').filter({ hasText: text });

async function reportLine(page: Page, text: string, note: string) {
  const spoken = line(page, text);
  await spoken.hover();
  await spoken.getByTestId('report-menu').click();
  await spoken.getByTestId('report-message').click();
  const dialog = page.locator('[data-testid="report-dialog"][open]');
  await dialog.waitFor();
  expect(await dialog.getByTestId('report-quote').textContent()).toContain(text);
  await dialog.getByTestId('report-reason-spam').check();
  await dialog.getByTestId('report-note').fill(note);
  await dialog.getByTestId('report-send').click();
  return dialog;
}

test('a viewer reports a chat line, a moderator times its sender out from the queue, and the report shows resolved', async () => {
  const troll = await signIn(platform.browser, 'kenji_watches', 'viewer-password-1');
  const viewer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  await Promise.all([openChat(troll.page), openChat(viewer.page)]);

  const spam = `cheap followers at <b>spam.example</b> ${Date.now()}`;
  await troll.page.getByTestId('chat-input').fill(spam);
  await troll.page.getByTestId('chat-input').press('Enter');
  await line(viewer.page, spam).waitFor({ timeout: 5_000 });

  // The report goes in; a second one about the same line is answered with a sentence, not stored twice.
  const dialog = await reportLine(viewer.page, spam, 'Posts this every few minutes');
  await dialog.waitFor({ state: 'hidden' });
  const again = await reportLine(viewer.page, spam, 'again');
  await again.getByTestId('report-error').waitFor();
  expect(await again.getByTestId('report-error').textContent()).toContain('You have already reported this.');
  await again.getByRole('button', { name: 'Cancel' }).click();
  const stored = await platform.database.query<{ n: string }>(
    `select count(*)::text as n from reports where reporter_id = (select id from users where username = 'maya_reads')`,
  );
  expect(stored[0]?.n).toBe('1');

  // A moderator in the admin app (a browser of their own) finds it in the queue, text shown as typed.
  const moderatorContext = await platform.browser.newContext();
  const moderator = await moderatorContext.newPage();
  await moderator.goto(`${URLS.admin}/login`);
  await moderator.getByLabel('Username or email').fill('moderator@example.com');
  await moderator.getByLabel('Password').fill('moderator-password-1');
  await moderator.getByRole('button', { name: 'Sign in' }).click();
  await moderator.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await moderator
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Reports' })
    .click();
  await moderator.getByRole('heading', { name: 'Reports' }).waitFor();
  const row = moderator.getByTestId('report-row').filter({ hasText: spam });
  await row.waitFor();
  expect(await row.getByTestId('report-message').locator('blockquote').textContent()).toBe(spam);
  expect(await row.locator('b').count()).toBe(0);
  expect(await row.getByTestId('report-target').textContent()).toBe('@kenji_watches');
  expect(await row.getByTestId('report-note').textContent()).toContain('Posts this every few minutes');

  await row.getByTestId('report-claim').click();
  await row.getByTestId('report-resolve-form').waitFor();
  await row.getByTestId('report-action-timeout').check();
  await row.getByTestId('report-timeout-seconds').selectOption(String(10 * 60));
  await row.getByTestId('report-resolve').click();
  await moderator
    .locator(`[data-testid="report-row"][data-state="resolved"]`)
    .filter({ hasText: spam })
    .waitFor();

  // The sender is timed out in that room at once: the composer says so, and a line sent anyway is refused.
  await troll.page.getByTestId('chat-restricted').waitFor({ timeout: 5_000 });
  expect(await troll.page.getByTestId('chat-send').isDisabled()).toBe(true);
  const refused = await troll.context.request.post(`${URLS.api}/trpc/chat.send`, {
    headers: { 'content-type': 'application/json', origin: URLS.web },
    data: { json: { streamId, text: 'still here', clientMessageId: crypto.randomUUID() } },
  });
  expect(refused.status()).toBe(403);
  const body = (await refused.json()) as { error?: { json?: { data?: { reason?: string } } } };
  expect(body.error?.json?.data?.reason).toBe('TIMED_OUT');

  // The viewer's own list shows it resolved, with what was done.
  await viewer.page.goto(`${URLS.web}/settings/reports`);
  const mine = viewer.page.locator('[data-testid="my-report"][data-state="resolved"]');
  await mine.waitFor();
  expect(await mine.getByTestId('my-report-status').textContent()).toContain('timed out');

  // The moderation log has the timeout and the report's closing.
  await moderator
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Moderation log' })
    .click();
  await moderator.locator('[data-testid="log-entry"][data-action="resolve_report"]').first().waitFor();
  await moderator.locator('[data-testid="log-entry"][data-action="timeout"]').first().waitFor();

  await moderatorContext.close();
  await viewer.context.close();
  await troll.context.close();
}, 120_000);
