/**
 * Every call on a signed-in socket re-reads its session, so nothing runs after the session ended, even before the
 * bus's `session.ended` closes the socket. The reads are grouped: while one query is out, the calls that arrive
 * wait for the next one, which reads every session they name at once. Each call is answered by a read that began
 * after it arrived, so grouping never serves a call on a session that had ended when the call came in.
 */
import { type CoreDeps, currentSessions, type ValidSession } from '@app/core';

type Waiter = { resolve: (session: ValidSession | null) => void; reject: (error: unknown) => void };

/** The most sessions one query reads; more wait for the next. */
const MAX_SESSIONS_PER_READ = 500;

export type SessionChecks = (sessionId: string) => Promise<ValidSession | null>;

export function createSessionChecks(deps: Pick<CoreDeps, 'db' | 'clock' | 'sessions'>): SessionChecks {
  let waiting = new Map<string, Waiter[]>();
  let reading = false;

  const take = () => {
    if (waiting.size <= MAX_SESSIONS_PER_READ) {
      const batch = waiting;
      waiting = new Map();
      return batch;
    }
    const batch = new Map<string, Waiter[]>();
    for (const [id, waiters] of waiting) {
      if (batch.size === MAX_SESSIONS_PER_READ) break;
      batch.set(id, waiters);
      waiting.delete(id);
    }
    return batch;
  };

  const drain = async () => {
    reading = true;
    while (waiting.size > 0) {
      const batch = take();
      try {
        const valid = await currentSessions(deps, [...batch.keys()]);
        for (const [id, waiters] of batch)
          for (const waiter of waiters) waiter.resolve(valid.get(id) ?? null);
      } catch (error) {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      }
    }
    reading = false;
  };

  return (sessionId) =>
    new Promise((resolve, reject) => {
      const waiters = waiting.get(sessionId);
      if (waiters) waiters.push({ resolve, reject });
      else waiting.set(sessionId, [{ resolve, reject }]);
      if (!reading) void drain();
    });
}
