/** Cookie remembering whether the left sidebar is collapsed; read on the server to render it right away. */
export const SIDEBAR_COOKIE = 'lumen-sidebar';

const PREFERENCE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

export function saveSidebarCollapsed(collapsed: boolean): void {
  if (typeof document === 'undefined') return;
  // biome-ignore lint/suspicious/noDocumentCookie: a plain cookie is what the server reads before the first paint.
  document.cookie = `${SIDEBAR_COOKIE}=${collapsed ? '1' : '0'}; Path=/; Max-Age=${PREFERENCE_MAX_AGE_SECONDS}; SameSite=Lax`;
}
