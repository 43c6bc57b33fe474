import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

/** Every Content-Security-Policy violation the page reports, from the moment it loads. */
async function recordViolations(page: Page) {
  const violations: string[] = [];
  await page.exposeFunction('__reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportViolation: (text: string) => void }).__reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

test('web pages carry a nonce-based CSP and run under it: sign-in, a live room with its chat socket, the wallet', async () => {
  const guest = await platform.browser.newContext();
  const guestPage = await guest.newPage();
  const response = (await guestPage.goto(`${URLS.web}/login`))!;
  const headers = response.headers();
  const policy = headers['content-security-policy']!;
  expect(policy).toMatch(/script-src 'self' https:\/\/js\.stripe\.com [^;]*'nonce-[^']+'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain(`connect-src 'self' ${URLS.api} ${URLS.api.replace('http', 'ws')}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy']).toContain('camera=(self)');
  await guest.close();

  const { context, page } = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const violations = await recordViolations(page);
  // On air the way LiveKit's room_started webhook puts it; the player then tries the (absent) media server.
  const [stream] = await platform.database.query<{ id: string }>(
    `update streams set status = 'live', started_at = now()
     where id = (select s.id from streams s join users u on u.id = s.streamer_id
                 where u.username = 'luna_sings' and s.status = 'draft' limit 1)
     returning id`,
  );
  await page.goto(`${URLS.web}/`);
  await page.goto(`${URLS.web}/live/${stream!.id}`);
  await page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
  await page.goto(`${URLS.web}/wallet`);
  await page.getByTestId('wallet-balance').waitFor();
  expect(violations).toEqual([]);
  await context.close();
}, 90_000);

test('admin pages carry a CSP and the security headers, and work under them', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  const violations = await recordViolations(page);
  const response = (await page.goto(`${URLS.admin}/login`))!;
  const headers = response.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(headers['content-security-policy']).toContain(`connect-src 'self' ${URLS.api}`);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['permissions-policy']).toContain('camera=()');
  await page.getByLabel('Username or email').fill('admin');
  await page.getByLabel('Password').fill('admin-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByTestId('stat-users-total').waitFor();
  expect(violations).toEqual([]);
  await context.close();
}, 60_000);
