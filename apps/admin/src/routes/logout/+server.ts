import { redirect } from '@sveltejs/kit';
import { signOut } from '#lib/server/api.ts';
import type { RequestHandler } from './$types';

// A plain form POST, so logging out works without JavaScript and drops all client state with a full load.
export const POST: RequestHandler = async (event) => {
  try {
    await signOut(event);
  } catch {
    // The API being down must not keep someone signed in here; signOut already removed the local cookie.
  }
  redirect(303, '/login');
};
