import { DomainError, handleStripeEvent, verifyStripeEvent } from '@app/core';
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import { bodyTooLarge, STRIPE_WEBHOOK_BODY_LIMIT_BYTES, withinBodyLimit } from './body-limit.ts';

/**
 * `POST /webhooks/stripe`: the only way tokens are minted. The raw body is verified against the Stripe-Signature
 * header (a forged or missing one gets 400 and changes nothing); each event applies exactly once.
 */
export function stripeWebhook(runtime: Runtime, log: Logger) {
  return new Elysia({ name: 'stripe-webhook' }).post(
    '/webhooks/stripe',
    async ({ request, set }) => {
      if (!runtime.deps.stripe) {
        set.status = 503;
        return { error: 'Payments are not configured on this server.' };
      }
      const bounded = await withinBodyLimit(request, STRIPE_WEBHOOK_BODY_LIMIT_BYTES);
      if (!bounded) return bodyTooLarge(STRIPE_WEBHOOK_BODY_LIMIT_BYTES);
      const payload = await bounded.text();
      let event: Awaited<ReturnType<typeof verifyStripeEvent>>;
      try {
        event = await verifyStripeEvent(runtime.deps, payload, request.headers.get('stripe-signature'));
      } catch (error) {
        set.status = 400;
        return { error: error instanceof DomainError ? error.message : 'The webhook could not be verified.' };
      }
      const outcome = await handleStripeEvent(runtime.deps, event);
      log.info('stripe event', { eventId: event.id, type: event.type, outcome });
      return { received: true, outcome };
    },
    { parse: 'none' },
  );
}
