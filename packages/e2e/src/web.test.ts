import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

test('register, log out, log in, edit the profile and see it persist after a reload', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  const username = `e2e_${Date.now().toString(36)}`;
  const password = 'e2e browser password';

  await page.goto(`${URLS.web}/register`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Date of birth').fill('1993-05-17');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('user-menu-button').waitFor();
  const session = (await context.cookies()).find((cookie) => cookie.name === 'lumen_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  await page.getByTestId('user-menu-button').click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByTestId('header-sign-in').waitFor();

  await page.goto(`${URLS.web}/settings/profile`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password.').waitFor();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/settings\/profile/);

  await page.getByLabel('Display name').fill('Evening <b>Jazz</b>');
  await page.getByLabel('Bio').fill('Vinyl only. <script>window.__pwned = true</script>');
  await page.getByTestId('profile-continent').selectOption({ label: 'Europe' });
  await page.getByTestId('profile-country').selectOption({ label: 'France' });
  await page.getByTestId('profile-city').selectOption({ label: 'Paris' });
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();

  await page.reload();
  await expect(page.getByLabel('Display name').inputValue()).resolves.toBe('Evening <b>Jazz</b>');
  await expect(page.getByLabel('Bio').inputValue()).resolves.toContain('<script>');
  await expect(page.getByTestId('profile-city').inputValue()).resolves.not.toBe('');

  await page.goto(`${URLS.web}/u/${username}`);
  await page.getByText('Evening <b>Jazz</b>').first().waitFor();
  await page.getByText('Europe › France › Paris').first().waitFor();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  expect(await page.locator('b', { hasText: 'Jazz' }).count()).toBe(0);
  await context.close();
}, 90_000);

test('a viewer signed in on the web app is refused by the admin app', async () => {
  const { context, page } = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const response = await page.goto(`${URLS.admin}/`);
  expect(response?.status()).toBe(403);
  await context.close();
}, 60_000);

test('the account menu and the notifications close on Escape (focus back on their button) and on a click outside', async () => {
  const { context, page } = await signIn(platform.browser, 'sofia_lima', 'viewer-password-1');
  const account = page.getByTestId('user-menu-button');
  await account.click();
  await page.locator('#user-menu').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#user-menu').waitFor({ state: 'detached' });
  expect(await account.evaluate((button) => button === document.activeElement)).toBe(true);

  const bell = page.locator('button[aria-controls="notification-menu"]');
  await bell.click();
  await page.locator('#notification-menu').waitFor();
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.locator('#notification-menu').waitFor({ state: 'detached' });
  expect(await bell.getAttribute('aria-expanded')).toBe('false');
  await context.close();
});
