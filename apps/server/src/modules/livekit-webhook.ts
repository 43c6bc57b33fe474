import { handleLivekitWebhook } from '@app/core';
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';
import { bodyTooLarge, LIVEKIT_WEBHOOK_BODY_LIMIT_BYTES, withinBodyLimit } from './body-limit.ts';

/**
 * `POST /webhooks/livekit`: room, participant and ingress events drive stream state. The raw body is checked
 * against the signed `Authorization` token (`WebhookReceiver`): a missing or forged one gets 401 and changes
 * nothing. Replays and out-of-order events are handled in core.
 */
export function livekitWebhook(runtime: Runtime, log: Logger) {
  return new Elysia({ name: 'livekit-webhook' }).post(
    '/webhooks/livekit',
    async ({ request, set }) => {
      const bounded = await withinBodyLimit(request, LIVEKIT_WEBHOOK_BODY_LIMIT_BYTES);
      if (!bounded) return bodyTooLarge(LIVEKIT_WEBHOOK_BODY_LIMIT_BYTES);
      const body = await bounded.text();
      let event: Awaited<ReturnType<Runtime['deps']['livekit']['webhooks']['receive']>>;
      try {
        event = await runtime.deps.livekit.webhooks.receive(
          body,
          request.headers.get('authorization') ?? undefined,
        );
      } catch {
        set.status = 401;
        return { error: 'The webhook signature is missing or wrong.' };
      }
      const outcome = await handleLivekitWebhook(runtime.deps, event);
      log.info('livekit event', { eventId: event.id, ...outcome });
      return { received: true, outcome };
    },
    { parse: 'none' },
  );
}
