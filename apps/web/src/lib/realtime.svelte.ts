/**
 * The browser's one websocket to the API (chat, whispers, live counts), as the UI shows it: `idle` until
 * something subscribes, `connecting` for the first time, `open`, or `reconnecting` after it dropped (the client
 * retries on its own and resumes every subscription where it left off).
 */
export type RealtimeState = 'idle' | 'connecting' | 'open' | 'reconnecting';

class Realtime {
  state = $state<RealtimeState>('idle');
  /** Set when the server closed the socket because the session ended (signed out in another tab, expired, …). */
  signedOut = $state(false);
}

export const realtime = new Realtime();
