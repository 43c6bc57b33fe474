import type { RouterInputs } from '@app/api';
import { createApiClient, SESSION_COOKIE_NAME } from '@app/api/client';
import type { RequestEvent } from '@sveltejs/kit';
import { API_URL } from '$app/env/private';

/** Headers that make the API see this request as the browser's own: its session, origin and address. */
function forwardedHeaders(event: RequestEvent): Record<string, string> {
  const headers: Record<string, string> = {
    origin: event.url.origin,
    'x-forwarded-for': event.getClientAddress(),
  };
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.cookie = cookie;
  const userAgent = event.request.headers.get('user-agent');
  if (userAgent) headers['user-agent'] = userAgent;
  return headers;
}

/** A typed API client acting for the person behind this request. */
export function serverApi(event: RequestEvent, fetchImpl: typeof fetch = event.fetch) {
  return createApiClient({
    url: `${API_URL}/trpc`,
    fetch: fetchImpl,
    headers: () => forwardedHeaders(event),
  });
}

/**
 * A fetch that remembers the Set-Cookie headers of API responses. Kit's server fetch does not pass on cookies
 * from other origins, so the session cookie is copied onto our own response with `applySessionCookie`.
 */
function cookieCapturingFetch(event: RequestEvent, setCookies: string[]): typeof fetch {
  const capture = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await event.fetch(input, init);
    setCookies.push(...response.headers.getSetCookie());
    return response;
  };
  // Bun's `typeof fetch` also carries `preconnect`; the tRPC link only ever calls the function itself.
  return Object.assign(capture, { preconnect: fetch.preconnect });
}

function applySessionCookie(event: RequestEvent, setCookies: string[]): void {
  for (const header of setCookies) {
    const { name, value = '', ...options } = event.cookies.parse(header);
    if (name !== SESSION_COOKIE_NAME) continue;
    event.cookies.set(name, value, {
      ...options,
      path: options.path ?? '/',
      secure: options.secure ?? event.url.protocol === 'https:',
      // The API already encoded the value; encoding it again would corrupt the token.
      encode: (raw) => raw,
    });
  }
}

type LoginInput = Omit<RouterInputs['auth']['login'], 'app'>;

/** Signs in through the API as the admin app and gives the browser the session cookie. */
export async function signIn(event: RequestEvent, input: LoginInput) {
  const setCookies: string[] = [];
  const api = serverApi(event, cookieCapturingFetch(event, setCookies));
  const me = await api.auth.login.mutate({ ...input, app: 'admin' });
  applySessionCookie(event, setCookies);
  return me;
}

/** Ends the session on the API; the local cookie goes whatever the API says, so logging out always works. */
export async function signOut(event: RequestEvent): Promise<void> {
  const setCookies: string[] = [];
  try {
    await serverApi(event, cookieCapturingFetch(event, setCookies)).auth.logout.mutate();
  } finally {
    event.cookies.delete(SESSION_COOKIE_NAME, { path: '/' });
    applySessionCookie(event, setCookies);
  }
}
