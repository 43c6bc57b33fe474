import { error, redirect } from '@sveltejs/kit';
import { isStaffRole } from '#lib/roles.ts';
import { loginPathFor } from '#lib/safe-redirect.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ parent, url }) => {
  const { viewer, apiProblem } = await parent();
  if (!viewer) {
    if (apiProblem) error(503, apiProblem, { reason: 'api-unreachable' });
    redirect(303, loginPathFor(url));
  }
  // Someone signed into the web app as a viewer or streamer shares the cookie; show them why they cannot go on.
  if (!isStaffRole(viewer.role))
    error(403, 'This account cannot use the admin app.', { reason: 'wrong-role' });
  return { staff: viewer };
};
