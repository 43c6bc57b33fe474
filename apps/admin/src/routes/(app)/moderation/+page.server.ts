import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import { LOG_DEPENDENCY, LOG_PAGE_SIZE, type LogResult, resolveChannelNames } from './moderation-log.ts';

export const load: PageServerLoad = async (event) => {
  // The (app) layout checks sign-in and role; wait for it so a refused request never asks for staff data.
  await event.parent();
  event.depends(LOG_DEPENDENCY);
  const api = serverApi(event);
  // Not awaited: the page streams in, showing its loading state until the log arrives. Staff leave out
  // `channelId`, so this is every channel's log, newest first.
  const log: Promise<LogResult> = api.moderation.log.query({ limit: LOG_PAGE_SIZE }).then(
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
