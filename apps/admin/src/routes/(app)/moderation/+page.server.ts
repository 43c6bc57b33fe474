import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { logQuery, parseLogFilters } from './log-filters.ts';
import { LOG_DEPENDENCY, type LogResult, resolveChannelNames } from './moderation-log.ts';

export const load: PageServerLoad = async (event) => {
  // The (app) layout checks sign-in and role; wait for it so a refused request never asks for staff data.
  await event.parent();
  event.depends(LOG_DEPENDENCY);
  const api = serverApi(event);
  // Not awaited: the page streams in, showing its loading state until the log arrives. Every channel's log,
  // newest first, narrowed by the filters in the address bar.
  const filters = parseLogFilters(event.url.searchParams);
  const log: Promise<LogResult> = api.admin.moderationLog.query(logQuery(filters)).then(
    async (page) => ({
      ok: true,
      items: page.items,
      nextCursor: page.nextCursor,
      channels: await resolveChannelNames(page.items, {}, (id) =>
        api.users.byId.query({ id }).then(
          (user) => user.username,
          () => null,
        ),
      ),
    }),
    (error: unknown) => ({ ok: false, problem: readApiError(error) }),
  );
  return { log };
};
