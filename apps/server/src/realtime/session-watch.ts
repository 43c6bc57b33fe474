/**
 * A signed-in socket lives no longer than its session: it closes (code 4401) when any node announces that the
 * session ended (logout, password change, sign out everywhere, ban), and at the session's expiry, unless use
 * elsewhere extended it (then it re-checks at the new deadline).
 */
import type { ApiContext } from '@app/api';
import { type BusEvent, SOCKET_CLOSE, sessionDeadline, userTopic } from '@app/core';
import type { ConnectionServices, Socket } from './connection.ts';

/** Longest delay `setTimeout` keeps (about 24.8 days); a later deadline is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** When the database cannot be read at the deadline, the check runs again this much later. */
const RECHECK_AFTER_ERROR_MS = 5000;

/** Marks the socket's session as ended, so no call is served any more, and closes it. */
export function endSocket(ws: Socket) {
  ws.data.ended = true;
  if (ws.data.open) ws.close(SOCKET_CLOSE.sessionEnded, 'Your session has ended. Sign in again.');
}

/** Watches the user's own topic and the session's expiry; `onOther` gets the topic's other events. */
export function watchSession(
  ws: Socket,
  services: ConnectionServices,
  auth: NonNullable<ApiContext['auth']>,
  onOther: (ws: Socket, services: ConnectionServices, event: BusEvent) => void,
) {
  const sessionId = auth.session.id;
  const topic = userTopic(auth.user.id);
  const stopBus = services.deps.bus.subscribe(topic, (event: BusEvent) => {
    if (event.type === 'session.ended') {
      if ((event.sessionIds as string[]).includes(sessionId)) endSocket(ws);
      return;
    }
    onOther(ws, services, event);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (delayMs: number) => {
    timer = setTimeout(check, Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
  };
  const untilDeadline = (deadline: Date) => deadline.getTime() - services.deps.clock.now().getTime();
  const check = async () => {
    if (!ws.data.open || ws.data.ended) return;
    let deadline: Date | null;
    try {
      deadline = await sessionDeadline(services.deps, sessionId);
    } catch (error) {
      services.log.warn('session expiry check failed', { error: (error as Error).message });
      schedule(RECHECK_AFTER_ERROR_MS);
      return;
    }
    if (!deadline || untilDeadline(deadline) <= 0) endSocket(ws);
    else schedule(untilDeadline(deadline));
  };
  // Read once the topic is heard, so that a session ended before then is not missed; this also sets the timer.
  services.deps.bus
    .ready(topic)
    .then(check)
    .catch(() => schedule(RECHECK_AFTER_ERROR_MS));
  ws.data.stopUserEvents = () => {
    stopBus();
    clearTimeout(timer);
  };
}
