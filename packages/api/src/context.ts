import { type CoreDeps, SESSION_COOKIE_NAME, type ValidSession, validateSessionToken } from '@app/core';
import { type CookieOptions, createSessionCookies, readCookie, type SessionCookies } from './cookies.ts';

export type ApiConfig = {
  /** Origins whose pages may call mutations (CSRF): the web and admin apps. */
  allowedOrigins: readonly string[];
  cookie: CookieOptions;
};

export type ApiContext = {
  deps: CoreDeps;
  config: ApiConfig;
  auth: ValidSession | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  cookies: SessionCookies;
};

/** Builds a request's context: reads the session cookie and validates it against the database. */
export async function createApiContext(options: {
  deps: CoreDeps;
  config: ApiConfig;
  req: Request;
  resHeaders: Headers;
  ip: string | null;
  requestId: string;
}): Promise<ApiContext> {
  const { deps, req } = options;
  const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE_NAME);
  const auth = token ? await validateSessionToken(deps.db, deps.clock, token, deps.sessions) : null;
  const cookies = createSessionCookies(options.resHeaders, options.config.cookie);
  if (token && !auth) cookies.clear();
  return {
    deps,
    config: options.config,
    auth,
    requestId: options.requestId,
    ip: options.ip,
    userAgent: req.headers.get('user-agent'),
    origin: req.headers.get('origin'),
    cookies,
  };
}
