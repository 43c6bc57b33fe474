/** The cookie that carries a session token, read by the API and by both apps' servers. */
export const SESSION_COOKIE_NAME = 'lumen_session';

/** Websocket close codes the apps act on: the session ended (show the person as signed out), and too many sockets. */
export const SOCKET_CLOSE = { sessionEnded: 4401, tooManySockets: 4429 } as const;
