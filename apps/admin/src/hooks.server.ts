import { parseTheme, THEME_COOKIE } from '@app/ui/theme';
import type { Handle } from '@sveltejs/kit/hooks';

const THEME_PLACEHOLDER = '%lumen.theme%';

// The picked theme goes into the first HTML chunk, so a dark-mode admin never sees a white flash.
export const handle: Handle = async ({ event, resolve }) => {
  const theme = parseTheme(event.cookies.get(THEME_COOKIE));
  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace(THEME_PLACEHOLDER, theme),
  });
};
