import { afterAll, beforeAll, expect, test } from 'bun:test';
import { FAKE_MEDIA_ARGS, type Platform, signIn, startPlatform, URLS } from './harness.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ chromiumArgs: FAKE_MEDIA_ARGS });
}, 120_000);
afterAll(() => platform?.stop());

type DraftRow = { id: string; title: string };

/** The seeded draft of a streamer (every demo streamer has exactly one). */
async function draftOf(username: string): Promise<DraftRow> {
  const [row] = await platform.database.query<DraftRow>(
    `select s.id, s.title from streams s join users u on u.id = s.streamer_id
     where u.username = $1 and s.status = 'draft'`,
    [username],
  );
  if (!row) throw new Error(`${username} has no draft stream`);
  return row;
}

/** Puts a stream on air the way LiveKit's room_started webhook would; no media server is needed for this. */
async function makeLive(streamId: string) {
  await platform.database.query(`update streams set status = 'live', started_at = now() where id = $1`, [
    streamId,
  ]);
}

/** Signs in through the API as the web app does; the session cookie that later calls carry. */
async function apiSession(login: string, password: string): Promise<string> {
  const response = await fetch(`${URLS.api}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: URLS.web },
    body: JSON.stringify({ json: { login, password, app: 'web' } }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('lumen_session='));
  if (!response.ok || !session) throw new Error(`${login} could not sign in: ${response.status}`);
  return session.split(';')[0] ?? session;
}

/** Calls a tRPC mutation with `cookie`'s session, the way another browser would. */
async function apiMutate(cookie: string, procedure: string, input: Record<string, unknown>) {
  const response = await fetch(`${URLS.api}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: URLS.web, cookie },
    body: JSON.stringify({ json: input }),
  });
  if (!response.ok) throw new Error(`${procedure} failed: ${response.status} ${await response.text()}`);
}

test('a streamer goes live from the studio with no media server: the studio and the stream page say no video is being sent', async () => {
  const { context, page } = await signIn(platform.browser, 'yoga_with_ana', 'streamer-password-1');
  await page.getByTestId('sidebar-studio').click();
  await page.waitForURL(`${URLS.web}/studio`);
  await expect(page.getByTestId('studio-status').getAttribute('data-status')).resolves.toBe('draft');
  // Before going live the studio already says there is no media server and how to start one.
  const notice = page.getByTestId('studio-no-video');
  await notice.waitFor();
  expect(await notice.textContent()).toContain('No video is being sent.');
  expect(await notice.locator('code').allTextContents()).toContain('livekit-server --dev');

  await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  const preview = page.getByTestId('studio-preview');
  await page.waitForFunction(
    (element) => element instanceof HTMLVideoElement && element.videoWidth > 0 && !element.paused,
    await preview.elementHandle(),
    { timeout: 15_000 },
  );
  // The device pickers list the fake devices once access was granted.
  expect(await page.getByLabel('Camera').locator('option').count()).toBeGreaterThan(0);
  expect(await page.getByLabel('Microphone').locator('option').count()).toBeGreaterThan(0);

  await page.getByTestId('studio-go-live').click();
  await page.locator('[data-testid="studio-status"][data-status="live"]').waitFor({ timeout: 15_000 });
  await page.getByTestId('studio-health-no-video').waitFor();
  await page.getByTestId('studio-no-video').waitFor();
  const [row] = await platform.database.query<{ id: string; status: string; started: boolean }>(
    `select s.id, s.status, s.started_at is not null as started from streams s join users u on u.id = s.streamer_id
     where u.username = 'yoga_with_ana' and s.status <> 'ended'`,
  );
  expect(row).toMatchObject({ status: 'live', started: true });

  // A viewer opens the stream: the player says no video is being sent, with the same hint; chat is open.
  const watcher = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const tokenRequests: string[] = [];
  watcher.page.on('request', (request) => {
    if (request.url().includes('streams.viewerToken')) tokenRequests.push(request.url());
  });
  await watcher.page.goto(`${URLS.web}/live/${row!.id}`);
  const player = watcher.page.getByTestId('player-no-video');
  await player.waitFor({ timeout: 15_000 });
  expect(await player.textContent()).toContain('No video is being sent.');
  expect(await player.locator('code').allTextContents()).toContain('livekit-server --dev');
  await watcher.page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
  expect(await watcher.page.getByTestId('player-unreachable').count()).toBe(0);
  expect(tokenRequests).toEqual([]);
  await watcher.context.close();
  await context.close();
}, 90_000);

test('a viewer filters by category and region, opens a live stream and is told no video is being sent', async () => {
  const luna = await draftOf('luna_sings');
  const marco = await draftOf('chef_marco');
  await makeLive(luna.id);
  await makeLive(marco.id);

  const { context, page } = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  await page.getByTestId('sidebar-browse').click();
  await page.waitForURL(`${URLS.web}/browse`);
  await page.locator(`[data-stream-id="${marco.id}"]`).waitFor();

  await page.getByTestId('browse-category').selectOption({ label: 'Music (1 live)' });
  await page.waitForURL(/category=music/);
  await page.getByTestId('browse-region-continent').selectOption({ label: 'North America (1 live)' });
  await page.waitForURL(/region=\d+/);
  await page.getByTestId('browse-region-country').selectOption({ label: 'Mexico (1 live)' });
  const [cityId] = await page
    .getByTestId('browse-region-city')
    .selectOption({ label: 'Mexico City (1 live)' });
  if (!cityId) throw new Error('Mexico City is not in the city picker');
  await page.waitForURL(new RegExp(`region=${cityId}(&|$)`));
  const results = page.getByTestId('browse-results');
  await results.locator(`[data-stream-id="${luna.id}"]`).waitFor();
  expect(await results.locator(`[data-stream-id="${marco.id}"]`).count()).toBe(0);

  // The address holds the filters: opening it again shows the same view.
  const filtered = page.url();
  expect(filtered).toContain('category=music');
  await page.goto(filtered);
  await expect(page.getByTestId('browse-category').inputValue()).resolves.toBe('music');
  await expect(page.getByTestId('browse-region-city').inputValue()).resolves.toBe(cityId);
  expect(await page.getByTestId('stream-card').count()).toBe(1);

  await page.getByRole('link', { name: luna.title }).click();
  await page.waitForURL(`${URLS.web}/live/${luna.id}`);
  await expect(page.getByTestId('stream-title').textContent()).resolves.toBe(luna.title);
  await page.getByTestId('player-no-video').waitFor({ timeout: 30_000 });
  await page.getByText('No video is being sent.').waitFor();
  // The rest of the page works: stream info, and Maya (who follows Luna in the seed) can unfollow.
  await expect(page.getByTestId('stream-category').textContent()).resolves.toBe('Music');
  await expect(page.getByTestId('stream-region').textContent()).resolves.toBe(
    'North America › Mexico › Mexico City',
  );
  const follow = page.getByTestId('follow-button');
  await expect(follow.getAttribute('aria-pressed')).resolves.toBe('true');
  await follow.click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=follow-button]')?.getAttribute('aria-pressed') === 'false',
  );
  const follows = await platform.database.query<{ n: number }>(
    `select count(*)::int as n from user_follows f join users a on a.id = f.follower_id join users b on b.id = f.followee_id
     where a.username = 'maya_reads' and b.username = 'luna_sings'`,
  );
  expect(follows[0]?.n).toBe(0);
  await context.close();
}, 90_000);

test('the NSFW gate blocks an unverified viewer and shows nothing of the stream', async () => {
  const kairo = await draftOf('dj_kairo');
  const thumbnail = `https://images.example.com/kairo-${crypto.randomUUID()}.jpg`;
  await platform.database.query(`update streams set thumbnail_url = $2 where id = $1`, [kairo.id, thumbnail]);
  await makeLive(kairo.id);

  const { context, page } = await signIn(platform.browser, 'liam_plays', 'viewer-password-1');
  const tokenRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('streams.viewerToken')) tokenRequests.push(request.url());
  });
  await page.goto(`${URLS.web}/live/${kairo.id}`);
  const gate = page.getByTestId('age-gate');
  await gate.waitFor();
  await expect(gate.getAttribute('data-gate')).resolves.toBe('verify_age');
  await expect(page.getByRole('link', { name: 'Verify your age' }).getAttribute('href')).resolves.toBe(
    '/settings/account',
  );
  await page.waitForTimeout(1_000);
  const html = await page.content();
  expect(html).not.toContain(kairo.title);
  expect(html).not.toContain(thumbnail);
  expect(await page.getByTestId('player').count()).toBe(0);
  expect(await page.locator('video').count()).toBe(0);
  expect(tokenRequests).toEqual([]);

  // Browsing adults-only streams shows a gated tile: no title, no thumbnail.
  await page.goto(`${URLS.web}/browse?nsfw=only`);
  const card = page.locator(`[data-stream-id="${kairo.id}"]`);
  await card.waitFor();
  expect(await card.textContent()).not.toContain(kairo.title);
  expect(await card.locator('img').count()).toBe(0);
  await context.close();

  // A visitor who is not signed in is asked to sign in first.
  const guest = await platform.browser.newContext();
  const guestPage = await guest.newPage();
  await guestPage.goto(`${URLS.web}/live/${kairo.id}`);
  await expect(guestPage.getByTestId('age-gate').getAttribute('data-gate')).resolves.toBe('sign_in');
  expect(await guestPage.content()).not.toContain(kairo.title);
  await guest.close();
}, 90_000);

test('the studio shows the live chat and count; a viewer’s line arrives, and a moderator ending the stream shows at once', async () => {
  const knight = await draftOf('pixelknight');
  await makeLive(knight.id);
  const [viewer, moderator] = await Promise.all([
    apiSession('maya_reads', 'viewer-password-1'),
    apiSession('moderator', 'moderator-password-1'),
  ]);

  const { context, page } = await signIn(platform.browser, 'pixelknight', 'streamer-password-1');
  await page.goto(`${URLS.web}/studio`);
  await expect(page.getByTestId('studio-status').getAttribute('data-status')).resolves.toBe('live');
  await page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
  // The count comes from the room, live: the streamer's own studio does not count, a viewer's page does.
  const studioViewers = () =>
    page.evaluate(() =>
      Number(document.querySelector('[data-testid="studio-viewers"]')?.getAttribute('data-value')),
    );
  expect(await studioViewers()).toBe(0);
  const watcher = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  await watcher.page.goto(`${URLS.web}/live/${knight.id}`);
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="studio-viewers"]')?.getAttribute('data-value')) === 1,
    undefined,
    { timeout: 10_000 },
  );
  await watcher.context.close();

  const text = `GG, that jump was clean ${Date.now()}`;
  await apiMutate(viewer, 'chat.send', {
    streamId: knight.id,
    text,
    clientMessageId: crypto.randomUUID().replaceAll('-', ''),
  });
  const line = page.getByTestId('chat-message').filter({ hasText: text });
  await line.waitFor({ timeout: 5_000 });
  // The streamer moderates from the studio.
  expect(await line.getByTestId('message-menu').count()).toBe(1);

  // Ended elsewhere: the studio notices from the room's events, without polling.
  await apiMutate(moderator, 'streams.stop', { streamId: knight.id });
  await page.getByRole('heading', { name: 'Set up your next stream' }).waitFor({ timeout: 5_000 });
  expect(await page.getByTestId('studio-status').count()).toBe(0);
  expect(await page.getByTestId('chat-panel').count()).toBe(0);
  await context.close();
}, 60_000);
