import { GENERIC_FAILURE } from '@app/api/client';
import { applySecurityHeaders, connectOrigins, type SecurityHeaderOptions } from '@app/ui/security-headers';
import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { publicApiUrl } from '#lib/env.ts';
import { livekitUrl } from '#lib/server/env.ts';

const THEME_PLACEHOLDER = '%lumen.theme%';

/** Pages talk to the API, the media server and Stripe; the studio uses the camera, microphone and screen. */
const SECURITY: SecurityHeaderOptions = {
  connectTo: [...connectOrigins(publicApiUrl), ...connectOrigins(livekitUrl), 'https://api.stripe.com'],
  permissions: [
    'camera=(self)',
    'microphone=(self)',
    'display-capture=(self)',
    'payment=(self "https://js.stripe.com")',
  ],
};

export const handle: Handle = async ({ event, resolve }) => {
  // Rendering the theme into <html> on the server means the first paint already has the right colours.
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace(THEME_PLACEHOLDER, theme),
  });
  return applySecurityHeaders(response, SECURITY);
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
  if (kind !== 'unknown') return;
  console.error(`Unexpected error while rendering ${event.url.pathname}:`, error);
  return { message: GENERIC_FAILURE };
};
