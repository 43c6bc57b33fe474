/** The cookie that carries a session token, read by the API and by both apps' servers. */
export const SESSION_COOKIE_NAME = 'lumen_session';
