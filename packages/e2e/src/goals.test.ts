import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { type Platform, signIn, startPlatform, URLS } from './harness.ts';

// Two browsers: the streamer runs goals in the studio; a viewer on the stream page sees the bar move with their
// tips and the room told once when a goal is reached, and the queued goal take over.
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ payments: false });
}, 120_000);
afterAll(() => platform?.stop());

const STREAMER = 'kai_surfs';

async function tip(page: Page, tokens: number) {
  await page.getByTestId('tip-button').click();
  const dialog = page.getByTestId('tip-dialog');
  await dialog.getByLabel(`${tokens} tokens`).check();
  await dialog.getByTestId('tip-send').click();
  await dialog.waitFor({ state: 'hidden' });
}

const barAt = (page: Page, tokens: number) =>
  page
    .locator(`[data-testid="stream-goal"] [role="progressbar"][aria-valuenow="${tokens}"]`)
    .waitFor({ timeout: 5_000 });

test('the streamer sets and queues goals in the studio; a viewer’s tips move the bar and reach it, told once', async () => {
  const [stream] = await platform.database.query<{ id: string }>(
    `select s.id from streams s join users u on u.id = s.streamer_id
     where u.username = '${STREAMER}' and s.status = 'live'`,
  );
  if (!stream) throw new Error(`The seed left ${STREAMER} offline`);

  const streamer = await signIn(platform.browser, STREAMER, 'streamer-password-1');
  const studio = streamer.page;
  await studio.goto(`${URLS.web}/studio`);
  const panel = studio.getByTestId('studio-goals');
  // The seeded goal is active; cancelling it leaves room for ours.
  const active = panel.getByTestId('studio-goal-active');
  await active.getByText('Waterproof camera housing').waitFor({ timeout: 15_000 });
  await active.getByRole('button', { name: 'Cancel goal' }).click();
  await panel.getByTestId('studio-goal-recent').getByText('Waterproof camera housing').waitFor();

  // Bad input is refused with a sentence, nothing added.
  const form = panel.getByTestId('goal-create');
  await form.getByTestId('goal-title').fill('Surfboard wax');
  await form.getByTestId('goal-target').fill('0');
  await form.getByTestId('goal-create-submit').click();
  await form.getByText('Enter a whole number of tokens').waitFor();

  await form.getByTestId('goal-target').fill('100');
  await form.getByTestId('goal-create-submit').click();
  await active.getByText('Surfboard wax').waitFor();
  await form.getByTestId('goal-title').fill('New leash');
  await form.getByTestId('goal-target').fill('500');
  await form.getByTestId('goal-create-submit').click();
  await panel.getByTestId('studio-goal-queue').getByText('New leash').waitFor();

  const viewer = await signIn(platform.browser, 'maya_reads', 'viewer-password-1');
  const page = viewer.page;
  await page.goto(`${URLS.web}/live/${stream.id}`);
  await page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
  await page.getByTestId('stream-goal').getByText('Goal: Surfboard wax').waitFor();
  await barAt(page, 0);

  await tip(page, 50);
  await barAt(page, 50);
  // The studio's bar follows too.
  await active.locator('[role="progressbar"][aria-valuenow="50"]').waitFor({ timeout: 5_000 });

  await tip(page, 50);
  await page.getByTestId('stream-goal').getByText('Goal reached: Surfboard wax').waitFor({ timeout: 5_000 });
  const notice = page.getByTestId('chat-notice').filter({ hasText: 'Goal reached: Surfboard wax' });
  await notice.waitFor();
  await active.getByText('New leash').waitFor({ timeout: 5_000 });
  await panel.getByTestId('studio-goal-recent').getByText('Surfboard wax').waitFor();
  // After the moment of celebration the bar shows the next goal, from zero.
  await page.getByTestId('stream-goal').getByText('Goal: New leash').waitFor({ timeout: 15_000 });
  await barAt(page, 0);
  expect(await notice.count()).toBe(1);

  await viewer.context.close();
  await streamer.context.close();
}, 90_000);
