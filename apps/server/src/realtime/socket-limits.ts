import type { ApiContext } from '@app/api';

export type SocketCaps = {
  /** Open sockets per signed-in user on this node. */
  perUser: number;
  /** Open sockets per address, for visitors who are not signed in, on this node. */
  perAddress: number;
};

/**
 * Who a socket belongs to, for the socket caps and for viewer counts: the signed-in user, or else the client's
 * address (guests behind one address count as one viewer).
 */
export function viewerKey(ctx: Pick<ApiContext, 'auth' | 'ip'>): string {
  return ctx.auth ? `user:${ctx.auth.user.id}` : `ip:${ctx.ip ?? 'unknown'}`;
}

/** Counts this node's open sockets per viewer key and refuses those beyond the caps. */
export function createSocketLimits(caps: SocketCaps) {
  const open = new Map<string, number>();
  return {
    /** Admits one socket of `key`; returns its release function, or a refusal sentence when over the cap. */
    admit(key: string): { release: () => void } | { refused: string } {
      const signedIn = key.startsWith('user:');
      const cap = signedIn ? caps.perUser : caps.perAddress;
      const count = open.get(key) ?? 0;
      if (count >= cap) {
        return {
          refused: signedIn
            ? `At most ${cap} live connections per account; close another tab.`
            : `At most ${cap} live connections per network; close another tab or sign in.`,
        };
      }
      open.set(key, count + 1);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          const left = (open.get(key) ?? 1) - 1;
          if (left > 0) open.set(key, left);
          else open.delete(key);
        },
      };
    },
  };
}

export type SocketLimits = ReturnType<typeof createSocketLimits>;
