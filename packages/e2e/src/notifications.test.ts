import { afterAll, beforeAll, expect, test } from 'bun:test';
import { livekitEvent, signedLivekitWebhook } from '@app/core/testing';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

const PASSWORD = 'follow-the-bell-1';
const FAN = 'bell_fan';
const STAR = 'bell_star';
const ROOM = `stream-bell-${crypto.randomUUID()}`;
let streamId: string;

beforeAll(async () => {
  platform = await startPlatform();
  const hash = await Bun.password.hash(PASSWORD);
  // A streamer with a draft stream and a viewer of their own, so that nothing the seed holds changes what is counted.
  const people = await platform.database.query<{ id: string; username: string }>(
    `insert into users (username, email, password_hash, display_name, date_of_birth, role, age_verified_at, streamer_since)
     values ($1, $1 || '@example.test', $3, 'Bell Fan', '1990-01-01', 'viewer', null, null),
            ($2, $2 || '@example.test', $3, 'Bell Star', '1990-01-01', 'streamer', now(), now())
     returning id, username`,
    [FAN, STAR, hash],
  );
  await platform.database.query('insert into user_levels (user_id) select unnest($1::uuid[])', [
    people.map((person) => person.id),
  ]);
  const star = people.find((person) => person.username === STAR)!;
  const [stream] = await platform.database.query<{ id: string }>(
    `insert into streams (streamer_id, title, status, livekit_room) values ($1, 'Bells and whistles', 'draft', $2)
     returning id`,
    [star.id, ROOM],
  );
  streamId = stream!.id;
}, 120_000);
afterAll(() => platform?.stop());

/** The stream goes live the way LiveKit tells the API: a signed room_started webhook (dev keys). */
async function goLive() {
  const { body, authorization } = await signedLivekitWebhook(livekitEvent('room_started', ROOM));
  const response = await fetch(`${URLS.api}/webhooks/livekit`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization },
    body,
  });
  expect(response.status).toBe(200);
}

async function waitForRow(sql: string, params: unknown[]) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await platform.database.query(sql, params)).length > 0) return;
    await Bun.sleep(100);
  }
  throw new Error(`no row for ${sql}`);
}

test('a fan follows a streamer; it goes live; the bell counts it without a reload, the page lists it, the sidebar and Following page put it first', async () => {
  const { context, page } = await signIn(platform.browser, FAN, PASSWORD);
  await page.goto(`${URLS.web}/u/${STAR}`);
  await page.getByTestId('follow-button').click();
  await waitForRow(
    `select 1 from user_follows f join users a on a.id = f.follower_id join users b on b.id = f.followee_id
     where a.username = $1 and b.username = $2`,
    [FAN, STAR],
  );

  // The profiles list the follow both ways.
  await page.reload();
  await page.getByTestId('profile-followers').getByText('Bell Fan').waitFor();
  await page.goto(`${URLS.web}/u/${FAN}`);
  await page.getByTestId('profile-tab-following').click();
  await page.getByTestId('profile-following').getByText('Bell Star').waitFor();

  // Followed, offline: on the Following page and in the sidebar, not live; the bell has nothing.
  await page.goto(`${URLS.web}/following`);
  await page.getByTestId('following-offline').getByText('Bell Star').waitFor();
  await page.getByTestId('following-none-live').waitFor();
  const sidebarEntry = page.locator(`[data-testid="sidebar-followed-channel"][data-username="${STAR}"]`);
  expect(await sidebarEntry.getAttribute('data-live')).toBe('false');
  expect(await page.getByTestId('notification-badge').count()).toBe(0);

  // The bell's feed is live before the stream starts, so the notification can only arrive on it.
  await page.locator('[data-testid="notification-bell"][data-feed="live"]').waitFor();
  await goLive();
  const badge = page.getByTestId('notification-badge');
  await badge.waitFor({ timeout: 15_000 });
  expect(await badge.getAttribute('data-value')).toBe('1');
  // The sidebar re-reads the followed channels when one goes live.
  await page
    .locator(`[data-testid="sidebar-followed-channel"][data-username="${STAR}"][data-live="true"]`)
    .waitFor();

  await page.getByTestId('notification-bell').click();
  const item = page.getByTestId('bell-item').first();
  await item.waitFor();
  expect(await item.textContent()).toContain('Bell Star is live');
  expect(await item.textContent()).toContain('Bells and whistles');

  await page.getByTestId('bell-see-all').click();
  await page.waitForURL(`${URLS.web}/notifications`);
  const listed = page.getByTestId('notification-item');
  expect(await listed.count()).toBe(1);
  expect(await listed.first().getAttribute('data-read')).toBe('false');
  expect(await listed.first().getByRole('link').getAttribute('href')).toBe(`/live/${streamId}`);
  await listed.first().getByTestId('mark-read').click();
  await page.locator('[data-testid="notification-item"][data-read="true"]').waitFor();
  await badge.waitFor({ state: 'detached' });

  await page.goto(`${URLS.web}/following`);
  await page.getByTestId('following-live').locator(`[data-stream-id="${streamId}"]`).waitFor();
  expect(await page.getByTestId('following-offline').count()).toBe(0);
  await context.close();
}, 90_000);
