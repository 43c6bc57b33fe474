/** Pages a person should never be sent "back" to after signing in. */
const AUTH_PATHS = ['/login', '/register'];

/**
 * The `next` parameter as a same-site path, or `fallback` if it is missing or points anywhere else
 * (another origin, a protocol-relative URL, a backslash trick, or the sign-in pages themselves).
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  const base = 'http://same-site.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || AUTH_PATHS.includes(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page that brings a person back to `url` afterwards. */
export function loginUrl(url: URL | { pathname: string; search: string }): string {
  return `/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`;
}
