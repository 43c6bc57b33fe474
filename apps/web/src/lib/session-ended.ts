import { toast } from '@app/ui';
import { goto, refreshAll } from '$app/navigation';
import { page } from '$app/state';
import { realtime } from './realtime.svelte.ts';

/** Pages that only make sense signed in: a person signed out elsewhere is sent home from them. */
export const SIGNED_IN_ONLY = [
  '/settings',
  '/wallet',
  '/studio',
  '/messages',
  '/notifications',
  '/following',
];

/**
 * The server closed the live connection because this browser's session ended: a logout in another tab, a password
 * change or "sign out everywhere" on another device, expiry or a ban. The page then shows the person signed out.
 */
export async function onSessionEnded() {
  realtime.signedOut = true;
  toast.info('You’ve been signed out. Sign in again to chat, tip and see your messages.');
  if (SIGNED_IN_ONLY.some((prefix) => page.url.pathname.startsWith(prefix))) {
    await goto('/', { refreshAll: true });
  } else {
    await refreshAll();
  }
}

let toldAboutTooManySockets = false;

/**
 * The server refused this tab's live connection: too many are open for this account or network (many tabs). The
 * client keeps retrying with backoff and gets in once another tab closes; say so once rather than on every retry.
 */
export function onTooManySockets() {
  if (toldAboutTooManySockets) return;
  toldAboutTooManySockets = true;
  toast.info('You have Lumen open in too many tabs. Close a few and this one will connect live again.');
}
