import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

// A newcomer on a fresh seeded database with the defaults of `bun run dev` (no Stripe keys): within a minute they
// watch, chat and tip, with tokens an admin granted them.
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ payments: false });
}, 120_000);
afterAll(() => platform?.stop());

const GRANTED = 800;
const TIP = 50;

/** The stream goal's progress as the page shows it. */
async function goalProgress(page: Page): Promise<number> {
  return Number(await page.getByTestId('stream-goal').getByRole('progressbar').getAttribute('aria-valuenow'));
}

test('a visitor sees live streams, registers, is granted tokens by an admin, chats and tips; the streamer sees it', async () => {
  const [pasta] = await platform.database.query<{ id: string; title: string; streamer: string }>(
    `select s.id, s.title, u.username as streamer from streams s join users u on u.id = s.streamer_id
     where s.status = 'live' and 'pasta' = any(s.tags)`,
  );
  if (!pasta) throw new Error('The seed left no pasta stream live');

  // The home page, signed out: live streams, the pasta one among them.
  const visitor = await platform.browser.newContext();
  const page = await visitor.newPage();
  await page.goto(URLS.web);
  await page.locator(`[data-testid="stream-card"][data-stream-id="${pasta.id}"]`).first().waitFor();
  expect(await page.getByTestId('stream-card').count()).toBeGreaterThanOrEqual(6);

  // Registers.
  const username = `newcomer_${Date.now().toString(36)}`;
  await page.getByTestId('header-register').click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill('first run password');
  await page.getByLabel('Date of birth').fill('1995-04-02');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('user-menu-button').waitFor();

  // No Stripe: the wallet says so, points to an admin's grant, and offers no Buy button.
  await page.goto(`${URLS.web}/wallet`);
  await page.getByTestId('payments-disabled').waitFor();
  await page.getByText('Payments are not configured on this server').waitFor();
  await page.getByTestId('payments-disabled-grant').getByText('An admin can grant you tokens').waitFor();
  await page
    .getByTestId('payments-disabled-setup')
    .getByText('STRIPE_SECRET_KEY')
    .waitFor({ state: 'attached' });
  expect(await page.getByRole('button', { name: /^Buy / }).count()).toBe(0);
  expect(await page.getByTestId('wallet-balance').getAttribute('data-value')).toBe('0');

  // The seeded admin grants tokens from the admin app.
  const staff = await platform.browser.newContext();
  const admin = await staff.newPage();
  await admin.goto(`${URLS.admin}/login`);
  await admin.getByLabel('Username or email').fill('admin');
  await admin.getByLabel('Password').fill('admin-password-1');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await admin.goto(`${URLS.admin}/users?q=${username}`);
  const row = admin.locator(`[data-testid="user-row"][data-username="${username}"]`);
  await row.getByTestId('user-grant').click();
  const dialog = admin.getByTestId('grant-dialog');
  await dialog.getByLabel('Tokens').fill(String(GRANTED));
  await dialog.getByTestId('grant-confirm').click();
  await dialog.getByText('Say why these tokens are granted').waitFor();
  await dialog.getByLabel('Reason').fill('Welcome to Lumen: tokens to try tipping');
  await dialog.getByTestId('grant-confirm').click();
  await admin.getByTestId('toast-success').getByText(`Granted ${GRANTED} tokens to @${username}.`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await staff.close();

  // The newcomer's open wallet page shows them at once (no reload), the header too, as granted by the platform.
  await page.locator(`[data-testid="wallet-balance"][data-value="${GRANTED}"]`).waitFor();
  await page.locator(`[data-testid="header-wallet-balance"][data-value="${GRANTED}"]`).waitFor();
  const granted = page.locator('[data-testid="transaction-row"][data-kind="grant"]');
  await granted.getByText('Granted by the platform').waitFor();
  expect(await granted.getAttribute('data-amount')).toBe(String(GRANTED));

  // The streamer watches their room from the studio.
  const streamer = await signIn(platform.browser, pasta.streamer, 'streamer-password-1');
  await streamer.page.goto(`${URLS.web}/studio`);
  await streamer.page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });

  // The newcomer opens the live stream from the home page, chats and tips.
  await page.goto(URLS.web);
  await page.getByRole('link', { name: pasta.title }).first().click();
  await page.waitForURL(`${URLS.web}/live/${pasta.id}`);
  await page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
  // The seeded chat is there, with its tips.
  expect(await page.locator('[data-testid="chat-message"][data-kind="tip"]').count()).toBeGreaterThan(0);
  const hello = `Hello from a newcomer ${Date.now()}`;
  await page.getByTestId('chat-input').fill(hello);
  await page.getByTestId('chat-input').press('Enter');
  await streamer.page.getByTestId('chat-message').filter({ hasText: hello }).waitFor({ timeout: 5_000 });

  const goalBefore = await goalProgress(page);
  await page.getByTestId('tip-button').click();
  const tip = page.getByTestId('tip-dialog');
  await tip.getByLabel(`${TIP} tokens`).check();
  const note = `Buonissimo! ${Date.now()}`;
  await tip.getByLabel('Note (optional)').fill(note);
  await tip.getByTestId('tip-send').click();
  await tip.waitFor({ state: 'hidden' });

  // The goal moves and the balance drops, without a reload.
  await page.waitForFunction(
    (expected) =>
      Number(
        document
          .querySelector('[data-testid="stream-goal"] [role="progressbar"]')
          ?.getAttribute('aria-valuenow'),
      ) === expected,
    goalBefore + TIP,
    { timeout: 10_000 },
  );
  await page.waitForFunction(
    (expected) =>
      document.querySelector('[data-testid="header-wallet-balance"]')?.getAttribute('data-value') ===
      String(expected),
    GRANTED - TIP,
    { timeout: 10_000 },
  );

  // The streamer sees the tip in the studio's chat.
  const tipLine = streamer.page
    .locator('[data-testid="chat-message"][data-kind="tip"]')
    .filter({ hasText: note });
  await tipLine.waitFor({ timeout: 5_000 });
  expect(await tipLine.getByTestId('chat-tip').textContent()).toContain(String(TIP));

  await streamer.context.close();
  await visitor.close();
}, 120_000);
