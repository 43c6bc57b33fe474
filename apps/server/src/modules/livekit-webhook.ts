import { handleLivekitWebhook } from '@app/core';
import { Elysia } from 'elysia';
import type { Logger } from '../logger.ts';
import type { Runtime } from '../runtime.ts';

/** LiveKit's webhook bodies are small JSON documents; anything larger is not from LiveKit. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * `POST /webhooks/livekit`: room, participant and ingress events drive stream state. The raw body is checked
 * against the signed `Authorization` token (`WebhookReceiver`): a missing or forged one gets 401 and changes
 * nothing. Replays and out-of-order events are handled in core.
 */
export function livekitWebhook(runtime: Runtime, log: Logger) {
  return new Elysia({ name: 'livekit-webhook' }).post(
    '/webhooks/livekit',
    async ({ request, set }) => {
      const declared = Number(request.headers.get('content-length') ?? 0);
      if (declared > MAX_WEBHOOK_BYTES) {
        set.status = 413;
        return { error: 'That webhook is too large.' };
      }
      const body = await request.text();
      if (body.length > MAX_WEBHOOK_BYTES) {
        set.status = 413;
        return { error: 'That webhook is too large.' };
      }
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
