import { applySecurityHeaders, connectOrigins, type SecurityHeaderOptions } from '@app/ui/security-headers';
import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import type { Handle } from '@sveltejs/kit/hooks';
import { PUBLIC_API_URL } from '$app/env/public';

const THEME_PLACEHOLDER = '%lumen.theme%';

/** Admin pages talk only to the API and use no camera, microphone or payment. */
const SECURITY: SecurityHeaderOptions = { connectTo: connectOrigins(PUBLIC_API_URL), permissions: [] };

// The picked theme goes into the first HTML chunk, so a dark-mode admin never sees a white flash.
export const handle: Handle = async ({ event, resolve }) => {
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace(THEME_PLACEHOLDER, theme),
  });
  return applySecurityHeaders(response, SECURITY);
};
