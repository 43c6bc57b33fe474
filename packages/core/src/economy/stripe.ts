import Stripe from 'stripe';
import type { StripeDeps } from '../kernel/ports.ts';

export type StripeOptions = {
  secretKey: string;
  webhookSecret: string;
  publishableKey?: string | null;
  /** Where the API is (tests point these at a local fake that records calls). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
};

export function createStripe(options: StripeOptions): StripeDeps {
  const client = new Stripe(options.secretKey, {
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: 'Lumen' },
  });
  return { client, webhookSecret: options.webhookSecret, publishableKey: options.publishableKey ?? null };
}
