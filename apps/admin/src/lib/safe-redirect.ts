/**
 * The in-app path to return to after signing in. Only same-origin absolute paths are accepted, so a crafted
 * `?redirectTo=https://evil.example` or `//evil.example` link cannot send someone off-site.
 */
export function safeRedirectPath(candidate: string | null | undefined, fallback = '/'): string {
  // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example".
  if (candidate && /[\s\\]/.test(candidate)) return fallback;
  if (!candidate?.startsWith('/') || candidate.startsWith('//')) {
    return fallback;
  }
  if (candidate === '/login' || candidate.startsWith('/login?') || candidate.startsWith('/logout'))
    return fallback;
  return candidate;
}

export function loginPathFor(url: URL): string {
  const back = url.pathname + url.search;
  return back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
}
