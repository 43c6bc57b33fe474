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
  // Moderators read the users list and the log, but banning is for admins.
  await page.goto(`${URLS.admin}/users?banned=1`);
  await page.locator('[data-testid="user-row"][data-username="banned_user"][data-banned="true"]').waitFor();
  expect(await page.getByRole('button', { name: /^(Ban|Unban)…$/ }).count()).toBe(0);
  await page.goto(`${URLS.admin}/moderation`);
  await page.getByRole('heading', { name: 'Moderation log' }).waitFor();
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

/** Signs in through the API as the web app does; the status and message of the answer. */
async function apiSignIn(login: string, password: string) {
  const response = await fetch(`${URLS.api}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: URLS.web },
    body: JSON.stringify({ json: { login, password, app: 'web' } }),
  });
  const body = (await response.json()) as { error?: { json?: { message?: string } } };
  return { status: response.status, message: body.error?.json?.message ?? '' };
}

const BANNED_VIEWER = 'oskar_nord'; // a seeded viewer no other scenario signs in as
const VIEWER_PASSWORD = 'viewer-password-1';

test('an admin bans a viewer from the Users page: signed out at once, refused at sign-in, logged, then unbanned', async () => {
  const reason = `E2E ban ${Date.now().toString(36)}: spam links`;
  const bannedAt = async () =>
    (
      await platform.database.query<{ banned: boolean }>(
        'select banned_at is not null as banned from users where username = $1',
        [BANNED_VIEWER],
      )
    )[0]?.banned;

  // The viewer is signed in on the web app, so the ban has a session to end.
  const viewerContext = await platform.browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await viewerPage.goto(`${URLS.web}/login`);
  await viewerPage.getByLabel('Username or email').fill(BANNED_VIEWER);
  await viewerPage.getByLabel('Password').fill(VIEWER_PASSWORD);
  await viewerPage.getByRole('button', { name: 'Sign in' }).click();
  await viewerPage.getByTestId('user-menu-button').waitFor();

  const { context, page } = await signIn('admin', 'admin-password-1');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  await page.getByLabel('Search users').fill('oskar');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\/users\?q=oskar$/);
  const row = page.locator(`[data-testid="user-row"][data-username="${BANNED_VIEWER}"]`);
  await row.waitFor();
  expect(await row.getAttribute('data-banned')).toBe('false');

  // The reason is required: an empty one never reaches the API.
  await row.getByRole('button', { name: 'Ban…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Ban user' }).click();
  await dialog.getByText('Give a reason of at least 3 characters.').waitFor();
  expect(await bannedAt()).toBe(false);
  await dialog.getByLabel('Reason for the ban').fill(reason);
  await dialog.getByRole('button', { name: 'Ban user' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await row.getByTestId('user-banned').waitFor();
  expect(await row.getAttribute('data-banned')).toBe('true');
  expect(await row.getByTestId('user-ban-reason').textContent()).toContain(reason);
  expect(await bannedAt()).toBe(true);

  // The server agrees after a reload, and the banned-only filter finds the account.
  await page.getByTestId('users-banned-only').check();
  await page.waitForURL(/banned=1/);
  await page
    .locator(`[data-testid="user-row"][data-username="${BANNED_VIEWER}"][data-banned="true"]`)
    .waitFor();

  // The viewer's web session ended at once, and signing in again is refused with the reason.
  await viewerPage.reload();
  await viewerPage.getByTestId('header-sign-in').waitFor();
  const refused = await apiSignIn(BANNED_VIEWER, VIEWER_PASSWORD);
  expect(refused.status).toBe(403);
  expect(refused.message).toContain('banned');
  expect(refused.message).toContain(reason);
  await viewerPage.goto(`${URLS.web}/login`);
  await viewerPage.getByLabel('Username or email').fill(BANNED_VIEWER);
  await viewerPage.getByLabel('Password').fill(VIEWER_PASSWORD);
  await viewerPage.getByRole('button', { name: 'Sign in' }).click();
  await viewerPage.getByText(/This account is banned/).waitFor();
  expect((await viewerContext.cookies()).some((cookie) => cookie.name === 'lumen_session')).toBe(false);

  // The moderation log names who banned whom, and why, newest first.
  await page
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Moderation log' })
    .click();
  await page.getByRole('heading', { name: 'Moderation log' }).waitFor();
  const newest = page.getByTestId('log-entry').first();
  expect(await newest.getAttribute('data-action')).toBe('platform_ban');
  const line = (await newest.getByTestId('log-line').textContent())?.replace(/\s+/g, ' ').trim();
  expect(line).toBe(`admin banned ${BANNED_VIEWER} from Lumen — reason: ${reason}`);
  await page.getByTestId('log-filter-platform').click();
  await page.waitForURL(/action=platform/);
  expect(await page.getByTestId('log-entry').first().getAttribute('data-action')).toBe('platform_ban');
  // Narrowed to what was done to the banned viewer, the log exports as CSV with the same entries.
  await page.getByTestId('log-target').fill(BANNED_VIEWER);
  await page.getByTestId('log-apply').click();
  await page.waitForURL(new RegExp(`target=${BANNED_VIEWER}`));
  // The filtered log streams in after the address changes: wait for its list.
  await page.locator('[data-testid="log-entry"][data-action="platform_ban"]').first().waitFor();
  const exportHref = await page.getByTestId('log-export').getAttribute('href');
  expect(exportHref).toContain(`target=${BANNED_VIEWER}`);
  const csv = await page.request.get(`${URLS.admin}${exportHref}`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toContain('"time (UTC)","action","actor","target"');
  expect(lines[1]).toContain(`"platform_ban","admin","${BANNED_VIEWER}"`);
  expect(lines[1]).toContain(reason);
  // Signed out, the export is refused before any byte of the file.
  const stranger = await page.context().browser()!.newContext();
  const refusedCsv = await stranger.request.get(`${URLS.admin}${exportHref}`);
  expect(refusedCsv.status()).toBe(401);
  await stranger.close();

  // Unban, so the seeded account is as it was.
  await page.goto(`${URLS.admin}/users?q=oskar`);
  await row.getByRole('button', { name: 'Unban…' }).click();
  await dialog.getByLabel('Reason for lifting the ban').fill('E2E clean-up');
  await dialog.getByRole('button', { name: 'Lift ban' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page
    .locator(`[data-testid="user-row"][data-username="${BANNED_VIEWER}"][data-banned="false"]`)
    .waitFor();
  expect(await bannedAt()).toBe(false);
  expect((await apiSignIn(BANNED_VIEWER, VIEWER_PASSWORD)).status).toBe(200);

  await viewerContext.close();
  await context.close();
}, 90_000);

test('an admin runs the conservation check, reads the daily report and follows a transaction to its accounts', async () => {
  const { context, page } = await signIn('admin', 'admin-password-1');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Finance' })
    .click();
  await page.getByRole('heading', { name: 'Finance' }).waitFor();
  // The check runs on demand, over the whole seeded ledger.
  expect(await page.getByTestId('ledger-check').getAttribute('data-state')).toBe('not-run');
  await page.getByTestId('ledger-check-run').click();
  await page.locator('[data-testid="ledger-check"][data-state="green"]').waitFor();
  expect(await page.getByTestId('ledger-check-sumOfBalances').textContent()).toBe('0');
  // The report has one row per UTC day of the period, today first.
  await page.getByTestId('report-table').waitFor();
  expect(await page.getByTestId('report-day').count()).toBe(30);
  const today = new Date().toISOString().slice(0, 10);
  expect(await page.getByTestId('report-day').first().getAttribute('data-day')).toBe(today);
  await page.getByTestId('report-period-7').click();
  await page.waitForURL(/days=7/);
  await page.locator('[data-testid="report-day"]').nth(6).waitFor();
  expect(await page.getByTestId('report-day').count()).toBe(7);

  // The ledger explorer: the seed's newest transaction, then one of its accounts.
  const [newest] = await platform.database.query<{ id: string }>(
    'select max(id)::text as id from ledger_transactions',
  );
  await page.getByTestId('finance-tab-ledger').click();
  await page.getByTestId('ledger-idle').waitFor();
  await page.getByTestId('ledger-tx-id').fill(newest!.id);
  await page.getByTestId('ledger-find-tx').getByRole('button', { name: 'Show' }).click();
  await page.getByTestId('ledger-transaction').waitFor();
  expect(await page.getByTestId('ledger-entry').count()).toBeGreaterThanOrEqual(2);
  await page.getByTestId('ledger-entry').first().getByRole('link').click();
  await page.getByTestId('ledger-account').waitFor();
  const [account] = await platform.database.query<{ balance: string }>(
    `select coalesce(sum(b.balance), 0)::text as balance from ledger_balances b
     where b.account_id = (select account_id from ledger_entries where transaction_id = $1 order by id limit 1)`,
    [newest!.id],
  );
  expect((await page.getByTestId('ledger-balance').textContent())?.replaceAll(',', '')).toBe(
    account!.balance,
  );
  await context.close();
}, 60_000);

test('a moderator does not see Finance and is told on every finance page that it is for admins', async () => {
  const { context, page } = await signIn('moderator@example.com', 'moderator-password-1');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  expect(
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Finance' })
      .count(),
  ).toBe(0);
  for (const path of ['/finance', '/finance/purchases', '/finance/ledger?tx=1']) {
    await page.goto(`${URLS.admin}${path}`);
    await page.getByTestId('finance-refused').waitFor();
  }
  await context.close();
}, 60_000);
