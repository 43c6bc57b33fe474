import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Platform, startPlatform, URLS } from './harness.ts';

let platform: Platform;
/** More accounts than one page of either app's lists holds (people search: 20, admin users: 25). */
const PAGER_COUNT = 30;

beforeAll(async () => {
  platform = await startPlatform();
  await platform.database.query(
    `insert into users (username, email, password_hash, display_name, date_of_birth)
     select 'pager_' || lpad(n::text, 2, '0'), 'pager' || n || '@example.test', 'not-a-hash',
            'Pager ' || n, '1990-01-01'
     from generate_series(1, ${PAGER_COUNT}) as n`,
  );
}, 120_000);
afterAll(() => platform?.stop());

test('people search shows more on request, then says that is everyone; a new search starts over', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.web}/search?q=pager&type=people`);
  const results = page.locator('[data-testid="search-results"] > li');
  await results.first().waitFor();
  expect(await results.count()).toBe(20);
  await page.getByRole('button', { name: 'Show more' }).click();
  await page.getByText('That’s everyone.').waitFor();
  expect(await results.count()).toBe(PAGER_COUNT);
  expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);

  await page.getByLabel('Search Lumen').fill('pager_1');
  await page.getByLabel('Search Lumen').press('Enter');
  await page.waitForURL(/q=pager_1&type=people$/);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="search-results"] > li').length === 10,
  );
  await context.close();
});

test('the admin users list loads the next page after the first, then offers no more', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.admin}/login`);
  await page.getByLabel('Username or email').fill('admin');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.goto(`${URLS.admin}/users?q=pager`);
  const rows = page.getByTestId('user-row');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(25);
  await page.getByRole('button', { name: 'Load more' }).click();
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="user-row"]').length === count,
    PAGER_COUNT,
  );
  expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  await context.close();
});
