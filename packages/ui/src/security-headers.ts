/**
 * The security headers both SvelteKit apps send. SvelteKit writes the Content-Security-Policy of each page from
 * the `csp` directives in the app's vite.config.ts (adding a nonce for every inline script it renders); what only
 * the running server knows — where the API, the media server and Stripe are — is appended here as `connect-src`.
 */

export type SecurityHeaderOptions = {
  /** Origins the page's scripts may connect to besides its own: the API and the media server, http and ws. */
  connectTo: readonly string[];
  /** The Permissions-Policy: features the app uses (e.g. `camera=(self)`); everything else is off. */
  permissions: readonly string[];
};

/** Browser features no Lumen page uses, switched off unless `permissions` names them. */
const FEATURES_OFF = ['camera', 'microphone', 'display-capture', 'geolocation', 'payment', 'usb', 'serial'];

/** For responses SvelteKit writes no policy for (JSON from endpoints, redirects): they load nothing. */
const NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The origins a URL stands for in `connect-src`: its own, and its websocket (or http) twin, since the API serves
 * tRPC over both and LiveKit's client calls its server over both.
 */
export function connectOrigins(url: string): string[] {
  const { protocol, host } = new URL(url);
  const secure = protocol === 'https:' || protocol === 'wss:';
  return [`${secure ? 'https' : 'http'}://${host}`, `${secure ? 'wss' : 'ws'}://${host}`];
}

/** Sets the headers on `response`, completing the page's Content-Security-Policy with `connect-src`. */
export function applySecurityHeaders(response: Response, options: SecurityHeaderOptions): Response {
  const headers = response.headers;
  const pagePolicy = headers.get('content-security-policy');
  headers.set(
    'content-security-policy',
    pagePolicy
      ? `${pagePolicy}; connect-src 'self' ${[...new Set(options.connectTo)].join(' ')}`
      : NOTHING_POLICY,
  );
  headers.set('x-content-type-options', 'nosniff');
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  const named = new Set(options.permissions.map((permission) => permission.split('=')[0]));
  const off = FEATURES_OFF.filter((feature) => !named.has(feature)).map((feature) => `${feature}=()`);
  headers.set('permissions-policy', [...options.permissions, ...off].join(', '));
  return response;
}
