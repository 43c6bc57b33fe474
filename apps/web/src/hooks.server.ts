import { GENERIC_FAILURE } from '@app/api/client';
import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';

const THEME_PLACEHOLDER = '%lumen.theme%';

export const handle: Handle = async ({ event, resolve }) => {
  // Rendering the theme into <html> on the server means the first paint already has the right colours.
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace(THEME_PLACEHOLDER, theme),
  });
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  response.headers.set('x-frame-options', 'DENY');
  return response;
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
  if (kind !== 'unknown') return;
  console.error(`Unexpected error while rendering ${event.url.pathname}:`, error);
  return { message: GENERIC_FAILURE };
};
