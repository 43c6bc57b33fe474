/**
 * Request bodies are bounded before anything reads them: a request that declares a larger `Content-Length` is
 * refused unread, and a chunked one is read only up to the limit.
 */

/** tRPC calls: the largest input a page sends (a bio, a batch of chat lines) is a few KB. */
export const TRPC_BODY_LIMIT_BYTES = 64 * 1024;
/** LiveKit's webhooks are small JSON documents (one room, participant or ingress); anything larger is not LiveKit's. */
export const LIVEKIT_WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;
/**
 * Stripe publishes no maximum for an event; an event carries one object (a PaymentIntent, a Charge, a Dispute),
 * a few KB, and even a large invoice stays well under this.
 */
export const STRIPE_WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;
/** Bun itself refuses larger bodies before any route runs (its default is 128 MB). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The request with its body known to be within `limitBytes`, or null when it is larger. */
export async function withinBodyLimit(request: Request, limitBytes: number): Promise<Request | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null) return Number(declared) <= limitBytes ? request : null;
  if (!request.body) return request;
  const body = await readUpTo(request.body, limitBytes);
  return body ? new Request(request, { body }) : null;
}

async function readUpTo(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  limitBytes: number,
): Promise<Blob | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new Blob(chunks);
}

/** The answer to a body over the limit: 413 with a sentence. */
export function bodyTooLarge(limitBytes: number): Response {
  return Response.json(
    { error: `The request body is larger than ${limitBytes / 1024} KB, the most this endpoint accepts.` },
    { status: 413 },
  );
}
