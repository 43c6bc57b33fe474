import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { parseUsersFilter, USERS_DEPENDENCY, type UsersResult, usersInput } from './users.ts';

export const load: PageServerLoad = async (event) => {
  // The (app) layout checks sign-in and role; wait for it so a refused request never asks for staff data.
  await event.parent();
  event.depends(USERS_DEPENDENCY);
  const filter = parseUsersFilter(event.url.searchParams);
  // Not awaited: the page streams in, showing its loading state until the list arrives.
  const users: Promise<UsersResult> = serverApi(event)
    .admin.users.query(usersInput(filter))
    .then(
      (page) => ({ ok: true, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => ({ ok: false, problem: readApiError(error) }),
    );
  return { filter, users };
};
