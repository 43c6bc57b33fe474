import { join } from 'node:path';
import { signedStripeEvent, startStripeFake, TEST_WEBHOOK_SECRET } from '@app/core/testing';
import { seedDatabase } from '@app/db/seed';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { Subprocess } from 'bun';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = join(import.meta.dir, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The default ports: the apps' own origin is fixed when they are built (Kit's `paths.origin`), so the tests run
 * the production build where a user would. Stop `bun run dev` first.
 */
export const PORTS = { api: 3000, web: 5173, admin: 5174 } as const;
export const URLS = {
  api: `http://localhost:${PORTS.api}`,
  web: `http://localhost:${PORTS.web}`,
  admin: `http://localhost:${PORTS.admin}`,
};

/**
 * Where the platform looks for LiveKit in the browser tests: a port nobody listens on (9, discard), so a
 * `livekit-server` a developer left running cannot change what the tests see. Every test runs without a media
 * server: development mode goes live without video and says so.
 */
export const NO_MEDIA_SERVER_URL = 'ws://127.0.0.1:9';

export type Platform = {
  database: TestDatabase;
  browser: Browser;
  /** The recording stand-in for Stripe's API that the server talks to. */
  stripe: ReturnType<typeof startStripeFake>;
  /** Delivers a webhook to the API signed the way Stripe signs them. */
  sendStripeWebhook: (type: string, object: Record<string, unknown>) => Promise<Response>;
  stop: () => Promise<void>;
};

async function assertFree(port: number) {
  const busy = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (busy)
    throw new Error(
      `Port ${port} is in use (is \`bun run dev\` running?). Stop it before the browser tests.`,
    );
}

async function waitFor(url: string, what: string, process: Subprocess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`${what} exited with code ${process.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(200);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function spawn(cmd: string[], cwd: string, env: Record<string, string>) {
  return Bun.spawn(cmd, {
    cwd,
    env: { ...process.env, ...env },
    stdout: process.env.E2E_VERBOSE ? 'inherit' : 'ignore',
    stderr: 'inherit',
  });
}

/** Chromium switches for pages that use a camera and microphone: fake devices, permission granted without asking. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export type PlatformOptions = {
  /** Extra Chromium switches (e.g. FAKE_MEDIA_ARGS). */
  chromiumArgs?: string[];
  /** False: the API starts without Stripe keys, as `bun run dev` does by default. */
  payments?: boolean;
};

/**
 * The whole platform as a user meets it: the API on a fresh seeded database, the built web and admin apps
 * (adapter-node), and headless Chromium.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  for (const port of Object.values(PORTS)) await assertFree(port);
  const database = await createTestDatabase('lumen_e2e');
  await seedDatabase(database.db);
  const stripe = startStripeFake();
  const appEnv = {
    API_URL: URLS.api,
    PUBLIC_API_URL: URLS.api,
    HOST: '127.0.0.1',
    LIVEKIT_URL: NO_MEDIA_SERVER_URL,
  };
  const processes = [
    spawn(['bun', 'src/index.ts'], join(ROOT, 'apps/server'), {
      DATABASE_URL: database.url,
      PORT: String(PORTS.api),
      WEB_ORIGIN: URLS.web,
      ADMIN_ORIGIN: URLS.admin,
      LOG_LEVEL: 'warn',
      LIVEKIT_URL: NO_MEDIA_SERVER_URL,
      ...(options.payments === false
        ? {}
        : {
            STRIPE_SECRET_KEY: 'sk_test_lumen_fake',
            STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
            STRIPE_PUBLISHABLE_KEY: 'pk_test_lumen_fake',
            STRIPE_API_BASE: `http://127.0.0.1:${stripe.port}`,
          }),
    }),
    spawn(['bun', 'build/index.js'], join(ROOT, 'apps/web'), { ...appEnv, PORT: String(PORTS.web) }),
    spawn(['bun', 'build/index.js'], join(ROOT, 'apps/admin'), { ...appEnv, PORT: String(PORTS.admin) }),
  ];
  const [api, web, admin] = processes as [Subprocess, Subprocess, Subprocess];
  try {
    await Promise.all([
      waitFor(`${URLS.api}/healthz`, 'The API server', api),
      waitFor(URLS.web, 'The web app (build it first: bun run build)', web),
      waitFor(`${URLS.admin}/login`, 'The admin app (build it first: bun run build)', admin),
    ]);
  } catch (error) {
    for (const child of processes) child.kill();
    stripe.stop();
    await database.drop();
    throw error;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.chromiumArgs ?? []),
    ],
  });
  return {
    database,
    browser,
    stripe,
    sendStripeWebhook: async (type, object) => {
      const { payload, signature } = await signedStripeEvent(type, object);
      return fetch(`${URLS.api}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
    },
    stop: async () => {
      await browser.close();
      for (const child of processes) child.kill();
      await Promise.all(processes.map((child) => child.exited));
      stripe.stop();
      await database.drop();
    },
  };
}

/** Signs `page` in to the web app through its login form and waits until the header shows the account. */
export async function signInPage(page: Page, login: string, password: string) {
  await page.goto(`${URLS.web}/login`);
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-menu-button').waitFor();
}

/** A fresh browser context (its own cookies) with a page signed in to the web app. */
export async function signIn(
  browser: Browser,
  login: string,
  password: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInPage(page, login, password);
  return { context, page };
}

/** Puts a seeded streamer's draft stream live (no media server is needed for chat or money) and returns its id. */
export async function goLive(platform: Platform, username: string): Promise<string> {
  const [stream] = await platform.database.query<{ id: string }>(
    `update streams set status = 'live', started_at = now() where status = 'draft'
       and streamer_id = (select id from users where username = $1) returning id`,
    [username],
  );
  if (!stream) throw new Error(`${username} has no draft stream to go live with`);
  return stream.id;
}

/** Opens the stream page and waits until its chat has the history and the live feed answered. */
export async function openStreamChat(page: Page, streamId: string) {
  await page.goto(`${URLS.web}/live/${streamId}`);
  await page
    .locator('[data-testid="chat-panel"][data-state="ready"][data-connected="true"]')
    .waitFor({ timeout: 15_000 });
}
