import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { parseEnv } from './env.ts';

/** What a correctly configured production server is given. */
const PRODUCTION = {
  NODE_ENV: 'production',
  WEB_ORIGIN: 'https://lumen.example',
  ADMIN_ORIGIN: 'https://admin.lumen.example',
  LIVEKIT_URL: 'wss://media.lumen.example',
  LIVEKIT_API_KEY: 'APIx7Kq2mW9vR4tZ',
  LIVEKIT_API_SECRET: 'f3Jk9QmZp2Lw8XvB6nRt4YcHs7DgAe5U1oKi',
  STRIPE_SECRET_KEY: 'sk_live_51Hx9Q2abcdefghijklmnop',
  STRIPE_WEBHOOK_SECRET: 'whsec_8Tq3Zm7Kp2Wx9Rv4Ln6Yb1Hc5Jd0Fs3G',
};

describe('production start-up', () => {
  test('starts with real credentials', () => {
    expect(parseEnv(PRODUCTION).NODE_ENV).toBe('production');
  });

  test("missing LiveKit keys (the dev server's devkey/secret) stop start-up, naming each variable", () => {
    const { LIVEKIT_API_KEY, LIVEKIT_API_SECRET, ...rest } = PRODUCTION;
    expect(() => parseEnv(rest)).toThrow(
      'The server cannot start in production. LIVEKIT_API_KEY is not set: set the API key of your LiveKit server or project. LIVEKIT_API_SECRET is not set: set the API secret of your LiveKit server or project.',
    );
  });

  test('the well-known dev key and secret, given explicitly, stop start-up too', () => {
    expect(() => parseEnv({ ...PRODUCTION, LIVEKIT_API_KEY: 'devkey' })).toThrow(
      'LIVEKIT_API_KEY is the well-known development value "devkey"',
    );
    expect(() => parseEnv({ ...PRODUCTION, LIVEKIT_API_SECRET: 'secret' })).toThrow(
      'LIVEKIT_API_SECRET is the well-known development value "secret"',
    );
    expect(() => parseEnv({ ...PRODUCTION, LIVEKIT_API_SECRET: 'short-but-not-secret' })).toThrow(
      'LIVEKIT_API_SECRET is shorter than 32 characters',
    );
  });

  test('a placeholder Stripe webhook secret or the Stripe stand-in stops start-up', () => {
    for (const placeholder of ['whsec_xxx', 'whsec_lumen_test_secret', `whsec_${'x'.repeat(40)}`]) {
      expect(() => parseEnv({ ...PRODUCTION, STRIPE_WEBHOOK_SECRET: placeholder })).toThrow(
        'STRIPE_WEBHOOK_SECRET looks like a placeholder',
      );
    }
    expect(() => parseEnv({ ...PRODUCTION, STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toThrow(
      'STRIPE_API_BASE points Stripe at a stand-in',
    );
  });

  test('development keeps the dev defaults', () => {
    expect(parseEnv({})).toMatchObject({ LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' });
  });

  test('the server process exits at start with the sentence, before opening anything', async () => {
    const child = Bun.spawn(['bun', join(import.meta.dir, 'index.ts')], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toContain('LIVEKIT_API_KEY is not set');
  });
});
