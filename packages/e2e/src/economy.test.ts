import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type Platform, signInPage, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
}, 120_000);
afterAll(() => platform?.stop());

test('buy tokens (the webhook confirms) → the balance shows → tip → the streamer’s earnings page shows it', async () => {
  const q = platform.database.query;
  const [pack] = await q<{
    id: number;
    name: string;
    tokens: number;
    bonus: number;
    price: number;
    currency: string;
  }>(
    `select id, name, tokens, bonus_tokens as bonus, price_cents as price, currency from token_packages where name = 'Fan'`,
  );
  // luna_sings goes live (the media side is not needed for money).
  const [stream] = await q<{ id: string }>(
    `update streams set status = 'live', started_at = now() where status = 'draft'
       and streamer_id = (select id from users where username = 'luna_sings') returning id`,
  );
  expect(stream).toBeDefined();

  const viewer = await platform.browser.newContext();
  const page = await viewer.newPage();
  await signInPage(page, 'maya_reads', 'viewer-password-1');
  await page.goto(`${URLS.web}/wallet`);
  const balance = page.getByTestId('wallet-balance');
  const before = Number(await balance.getAttribute('data-value'));

  await page.getByRole('button', { name: `Buy ${pack!.name}` }).click();
  await page.getByTestId('payment-waiting').waitFor();
  const intentId = await page.getByTestId('payment-panel').getAttribute('data-payment-intent');
  expect(intentId).toStartWith('pi_');
  // The real Stripe SDK call reached the stand-in with the package's price.
  const call = platform.stripe.calls.find((c) => c.path === '/v1/payment_intents');
  expect(call?.params).toMatchObject({ amount: String(pack!.price), currency: pack!.currency });
  // Nothing is minted before the webhook.
  expect(Number(await balance.getAttribute('data-value'))).toBe(before);

  const webhook = await platform.sendStripeWebhook('payment_intent.succeeded', {
    id: intentId,
    object: 'payment_intent',
    amount: pack!.price,
    amount_received: pack!.price,
    currency: pack!.currency,
    status: 'succeeded',
  });
  expect(webhook.status).toBe(200);
  await page.getByTestId('payment-succeeded').waitFor({ timeout: 15_000 });
  const bought = pack!.tokens + pack!.bonus;
  await page.waitForFunction(
    ([expected]) =>
      document.querySelector('[data-testid="wallet-balance"]')?.getAttribute('data-value') ===
      String(expected),
    [before + bought],
  );

  await page.goto(`${URLS.web}/u/luna_sings`);
  await page.getByTestId('live-now-card').getByTestId('tip-button').click();
  const dialog = page.getByTestId('tip-dialog');
  await dialog.getByLabel('50 tokens').check();
  await dialog.getByLabel('Note (optional)').fill('Encore! <b>bravo</b>');
  await dialog.getByTestId('tip-send').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.goto(`${URLS.web}/wallet`);
  expect(Number(await page.getByTestId('wallet-balance').getAttribute('data-value'))).toBe(
    before + bought - 50,
  );
  await viewer.close();

  const streamer = await platform.browser.newContext();
  const studio = await streamer.newPage();
  await signInPage(studio, 'luna_sings', 'streamer-password-1');
  await studio.goto(`${URLS.web}/studio/earnings`);
  const row = studio.getByTestId('tips-received').getByTestId('tip-received-row').first();
  await row.waitFor();
  expect(await row.getAttribute('data-amount')).toBe('50');
  const [fan] = await q<{ name: string }>(
    `select display_name as name from users where username = 'maya_reads'`,
  );
  expect(await row.getByTestId('tip-sender').textContent()).toContain(fan!.name);
  expect(
    Number(await studio.getByTestId('earnings-balance').getAttribute('data-value')),
  ).toBeGreaterThanOrEqual(50);
  await streamer.close();
}, 120_000);
