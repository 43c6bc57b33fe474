import { createApiClient } from '@app/api/client';
import type { RequestEvent } from '@sveltejs/kit';
import { apiUrl } from './env.ts';

/** The headers that make a server-side call act as the person whose request we are rendering. */
function forwardedHeaders(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): Record<string, string> {
  const headers: Record<string, string> = {};
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.cookie = cookie;
  const userAgent = event.request.headers.get('user-agent');
  if (userAgent) headers['user-agent'] = userAgent;
  // Lets the API rate-limit per visitor rather than per web server (it only reads this when it trusts us).
  try {
    headers['x-forwarded-for'] = event.getClientAddress();
  } catch {
    // Some hosts cannot tell the client's address; the API then sees ours.
  }
  return headers;
}

/**
 * A typed API client for server-side loads that acts as the person making the request:
 * it forwards their cookie header, so `auth.me` and friends see their session.
 */
export function serverApi(event: Pick<RequestEvent, 'fetch' | 'request' | 'getClientAddress'>) {
  const headers = forwardedHeaders(event);
  return createApiClient({ url: `${apiUrl}/trpc`, fetch: event.fetch, headers: () => headers });
}
