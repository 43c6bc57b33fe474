/** The colour theme a person picked. "system" follows the operating system's preference. */
export type Theme = 'light' | 'dark' | 'system';

export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** Cookie holding the picked theme, read on the server so the first paint has the right colours. */
export const THEME_COOKIE = 'lumen-theme';

const THEME_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

/** Any cookie value (or none) to a theme; unknown values fall back to "system". */
export function parseTheme(value: string | null | undefined): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The theme after `theme` when cycling system → light → dark → system. */
export function nextTheme(theme: Theme): Theme {
  const index = THEMES.indexOf(theme);
  return THEMES[(index + 1) % THEMES.length] ?? 'system';
}

/**
 * Applies a theme in the browser: sets `data-theme` on <html> and remembers it in a cookie.
 * Does nothing on the server.
 */
export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = theme;
  // biome-ignore lint/suspicious/noDocumentCookie: a plain cookie is what the server reads before the first paint.
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${THEME_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax`;
}
