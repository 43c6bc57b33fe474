import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Platform, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

async function signIn(login: string, password: string) {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.admin}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

test('an admin signs in and sees the real platform counts', async () => {
  const { context, page } = await signIn('admin', 'admin-password-1');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const total = await page.getByTestId('stat-users-total').textContent();
  const [row] = await platform.database.query<{ n: string }>('select count(*)::text as n from users');
  expect(total).toContain(row!.n);
  const cities = await page.getByTestId('stat-regions-cities').textContent();
  expect(cities).toContain('178');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login/);
  await context.close();
}, 60_000);

test('a moderator signs in with an email address', async () => {
  const { context, page } = await signIn('moderator@example.com', 'moderator-password-1');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await context.close();
}, 60_000);

test('a viewer is refused and stays on the sign-in page without a session', async () => {
  const { context, page } = await signIn('maya_reads', 'viewer-password-1');
  await page.getByText('This account cannot use the admin app.').waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
  expect((await context.cookies()).some((cookie) => cookie.name === 'lumen_session')).toBe(false);
  await page.goto(`${URLS.admin}/`);
  await page.waitForURL(/\/login/);
  await context.close();
}, 60_000);
