import { SESSION_COOKIE_NAME } from '@app/core';

export type CookieOptions = {
  /** False only for plain-http localhost development. */
  secure: boolean;
  /** Shared parent domain of the apps and the API in production (e.g. `.example.com`), else host-only. */
  domain?: string;
};

/** Writes and clears the session cookie on the response: HttpOnly, SameSite=Lax, Secure outside localhost. */
export function createSessionCookies(resHeaders: Headers, options: CookieOptions) {
  const base = [
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    options.secure ? 'Secure' : null,
    options.domain ? `Domain=${options.domain}` : null,
  ].filter(Boolean);
  return {
    set(token: string, expiresAt: Date) {
      resHeaders.append(
        'set-cookie',
        [`${SESSION_COOKIE_NAME}=${token}`, ...base, `Expires=${expiresAt.toUTCString()}`].join('; '),
      );
    },
    clear() {
      resHeaders.append('set-cookie', [`${SESSION_COOKIE_NAME}=`, ...base, 'Max-Age=0'].join('; '));
    },
  };
}

export type SessionCookies = ReturnType<typeof createSessionCookies>;

/**
 * The cookie's value, percent-decoded. A value that does not decode (`%E0%A4%A`) is returned as it is: it can
 * never be a session token, so the request is treated as signed out and the cookie is cleared, instead of failing.
 */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeOrKeep(part.slice(index + 1).trim());
  }
  return null;
}

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
