import { readApiError } from '@app/api/client';
import { fail, redirect } from '@sveltejs/kit';
import { isStaffRole } from '#lib/roles.ts';
import { safeRedirectPath } from '#lib/safe-redirect.ts';
import { signIn } from '#lib/server/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url }) => {
  const { viewer } = await parent();
  const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'));
  if (viewer && isStaffRole(viewer.role)) redirect(303, redirectTo);
  // A viewer signed in through the web app lands here too; tell them why their session does not count.
  return { signedInElsewhereAs: viewer ? viewer.username : null };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const login = String(form.get('login') ?? '').trim();
    // Never trimmed or echoed back: the API validates its length and it is checked as typed.
    const password = String(form.get('password') ?? '');

    const fieldErrors: Record<string, string> = {};
    if (!login) fieldErrors.login = 'Enter your username or email.';
    if (!password) fieldErrors.password = 'Enter your password.';
    if (Object.keys(fieldErrors).length > 0) {
      return fail(400, { login, message: 'Fill in both fields to sign in.', fieldErrors });
    }

    try {
      await signIn(event, { login, password });
    } catch (error) {
      const problem = readApiError(error);
      return fail(problem.status, { login, message: problem.message, fieldErrors: problem.fieldErrors });
    }
    redirect(303, safeRedirectPath(event.url.searchParams.get('redirectTo')));
  },
};
