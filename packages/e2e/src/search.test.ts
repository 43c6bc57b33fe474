import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;
/** Chef Marco's stream, put on air with a pasta title; the ended streams whose pages lead on. */
let pastaStreamId: string;
let endedWhileLiveId: string;
let endedOfflineId: string;

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await platform.database.query<T>(sql, params);
  if (!row) throw new Error(`no row for: ${sql}`);
  return row;
}

beforeAll(async () => {
  platform = await startPlatform();
  // A category, a person and a live stream, each found by "pasta"; the stream's cover is drawn (no avatar).
  await platform.database.query(
    `insert into categories (slug, name, sort_order) values ('pasta-noodles', 'Pasta & Noodles', 99)`,
  );
  await platform.database.query(
    `insert into users (username, email, password_hash, display_name, date_of_birth)
     values ('pasta_fan', 'pasta_fan@example.test', 'not-a-hash', 'Pasta Fan', '1990-01-01')`,
  );
  const marco = await one<{ id: string }>(
    `update users set avatar_url = null where username = 'chef_marco' returning id`,
  );
  // Every demo streamer has one stream that is not over: whatever it is, it goes on air as the pasta stream.
  pastaStreamId = (
    await one<{ id: string }>(
      `update streams set status = 'live', started_at = now(), title = 'Hand-rolled pasta night',
         tags = '{italian,noodles}', nsfw = false, thumbnail_url = null,
         category_id = (select id from categories where slug = 'cooking')
       where streamer_id = $1 and status <> 'ended' returning id`,
      [marco.id],
    )
  ).id;
  endedWhileLiveId = (
    await one<{ id: string }>(
      `insert into streams (streamer_id, title, status, livekit_room, started_at, ended_at)
       values ($1, 'Sunday sauce', 'ended', 'stream-' || gen_random_uuid(), now() - interval '3 hours',
               now() - interval '2 hours') returning id`,
      [marco.id],
    )
  ).id;
  const quiet = await one<{ id: string }>(
    `insert into users (username, email, password_hash, display_name, date_of_birth, role, streamer_since)
     values ('quiet_streamer', 'quiet@example.test', 'not-a-hash', 'Quiet Streamer', '1990-01-01', 'streamer', now())
     returning id`,
  );
  await platform.database.query('insert into user_levels (user_id) values ($1)', [quiet.id]);
  endedOfflineId = (
    await one<{ id: string }>(
      `insert into streams (streamer_id, title, status, livekit_room, started_at, ended_at)
       values ($1, 'Last week', 'ended', 'stream-' || gen_random_uuid(), now() - interval '8 days',
               now() - interval '7 days') returning id`,
      [quiet.id],
    )
  ).id;
}, 120_000);
afterAll(() => platform?.stop());

/** Fails the test on any uncaught error in the page, such as the FormData one the header search used to throw. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function typeInHeader(page: Page, text: string) {
  const box = page.getByTestId('search-input');
  await box.click();
  await box.fill(text);
  await page.getByTestId('suggest-streams').waitFor();
}

test('the header search suggests streams, categories and people; Enter opens the results', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(URLS.web);
  await typeInHeader(page, 'pasta');
  const suggestions = page.getByTestId('search-suggestions');
  await suggestions.getByRole('link', { name: /Hand-rolled pasta night/ }).waitFor();
  await suggestions
    .getByTestId('suggest-categories')
    .getByRole('link', { name: /Pasta & Noodles/ })
    .waitFor();
  await suggestions
    .getByTestId('suggest-people')
    .getByRole('link', { name: /Pasta Fan/ })
    .waitFor();

  await page.getByTestId('search-input').press('Enter');
  await page.waitForURL(`${URLS.web}/search?q=pasta`);
  await page.getByTestId('search-section-streams').waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('"See all results" opens the results page', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${URLS.web}/browse`);
  await typeInHeader(page, 'pasta');
  await page.getByTestId('search-see-all').click();
  await page.waitForURL(`${URLS.web}/search?q=pasta`);
  await page.getByTestId('search-tabs').waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('the results page has All, Streams, Categories and People tabs with counts, each in the address', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.web}/search?q=pasta`);
  const tabs = page.getByTestId('search-tabs');
  await expect(tabs.locator('a').allTextContents()).resolves.toEqual([
    expect.stringMatching(/^All\s*\d+$/),
    expect.stringMatching(/^Streams\s*\d+$/),
    expect.stringMatching(/^Categories\s*\d+$/),
    expect.stringMatching(/^People\s*\d+$/),
  ]);
  expect(await page.getByTestId('search-tab-all').getAttribute('aria-current')).toBe('page');
  for (const section of ['streams', 'categories', 'people']) {
    await page.getByTestId(`search-section-${section}`).waitFor();
  }

  await page.getByTestId('search-tab-streams').click();
  await page.waitForURL(`${URLS.web}/search?q=pasta&type=streams`);
  expect(await page.getByTestId('search-tab-streams').getAttribute('aria-current')).toBe('page');
  const cards = page.locator('[data-testid="search-results"] [data-testid="stream-card"]');
  await cards.first().waitFor();
  const count = Number(await page.getByTestId('search-tab-streams').getAttribute('data-count'));
  expect(await cards.count()).toBe(count);
  expect(await cards.evaluateAll((all) => all.map((card) => card.getAttribute('data-stream-id')))).toContain(
    pastaStreamId,
  );
  expect(await page.getByTestId('search-section-people').count()).toBe(0);

  await page.getByTestId('search-tab-categories').click();
  await page.waitForURL(`${URLS.web}/search?q=pasta&type=categories`);
  await page.getByTestId('search-results').getByText('Pasta & Noodles').waitFor();

  // A new search typed on a tab stays on it.
  await page.getByLabel('Search Lumen').fill('pasta_fan');
  await page.getByLabel('Search Lumen').press('Enter');
  await page.waitForURL(`${URLS.web}/search?q=pasta_fan&type=categories`);
  await page.getByTestId('search-tab-people').click();
  await page.waitForURL(`${URLS.web}/search?q=pasta_fan&type=people`);
  await page.getByTestId('search-results').getByText('Pasta Fan').waitFor();
  await context.close();
});

test('a stream card without a thumbnail or avatar shows a cover drawn from its title, not two letters', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.web}/browse`);
  const cover = page.locator(`[data-stream-id="${pastaStreamId}"] [data-testid="stream-cover"]`);
  await cover.waitFor();
  expect(await cover.getAttribute('data-cover')).toBe('generated');
  const image = cover.locator('img');
  const src = (await image.getAttribute('src')) ?? '';
  expect(src.startsWith('data:image/svg+xml,')).toBe(true);
  const drawn = decodeURIComponent(src);
  expect(drawn).toContain('>Hand-rolled</text>');
  expect(drawn).toContain('>pasta night</text>');
  // The image was drawn (the page's CSP let it load) and no letters stand in for it.
  await page.waitForFunction((id) => {
    const img = document.querySelector<HTMLImageElement>(
      `[data-stream-id="${id}"] [data-testid="stream-cover"] img`,
    );
    return img?.complete === true && img.naturalWidth > 0;
  }, pastaStreamId);
  const lettersOnCover = await cover.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const pill of copy.querySelectorAll('.corner')) pill.remove();
    return copy.textContent?.trim() ?? '';
  });
  expect(lettersOnCover).toBe('');
  await context.close();
});

test('the profile Follow button says Following as soon as it is pressed, and Follow again after unfollowing', async () => {
  await platform.database.query(
    `delete from user_follows where follower_id = (select id from users where username = 'maya_reads')
       and followee_id = (select id from users where username = 'pixelknight')`,
  );
  const { context, page } = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  await page.goto(`${URLS.web}/u/pixelknight`);
  const button = page.getByTestId('follow-button');
  await page.waitForFunction(
    () => !document.querySelector('[data-testid=follow-button]')?.hasAttribute('disabled'),
  );
  const before = Number(
    ((await page.getByTestId('profile-follower-count').textContent()) ?? '').replace(/\D/g, ''),
  );
  expect((await button.textContent())?.trim()).toBe('Follow');

  await button.click();
  await page.waitForFunction(
    (expected) =>
      document.querySelector('[data-testid=profile-follower-count]')?.textContent?.replace(/\D/g, '') ===
      expected,
    String(before + 1),
  );
  expect((await button.textContent())?.trim()).toBe('Following');
  expect(await button.getAttribute('aria-pressed')).toBe('true');

  await button.click();
  await page.waitForFunction(
    (expected) =>
      document.querySelector('[data-testid=profile-follower-count]')?.textContent?.replace(/\D/g, '') ===
      expected,
    String(before),
  );
  expect((await button.textContent())?.trim()).toBe('Follow');
  expect(await button.getAttribute('aria-pressed')).toBe('false');
  await context.close();
});

test('an ended stream leads to the streamer’s live stream, or to their profile when they are not live', async () => {
  const context = await platform.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${URLS.web}/live/${endedWhileLiveId}`);
  await page
    .getByTestId('stream-ended-at')
    .getByText(/Ended 2 hours ago/)
    .waitFor();
  await page.getByTestId('stream-live-now').click();
  await page.waitForURL(`${URLS.web}/live/${pastaStreamId}`);
  expect(await page.getByTestId('stream-page').getAttribute('data-status')).toBe('live');

  await page.goto(`${URLS.web}/live/${endedOfflineId}`);
  await page
    .getByTestId('stream-ended-at')
    .getByText(/Ended 7 days ago/)
    .waitFor();
  expect(await page.getByTestId('stream-live-now').count()).toBe(0);
  await page.getByTestId('stream-profile-link').click();
  await page.waitForURL(`${URLS.web}/u/quiet_streamer`);
  await context.close();
});
