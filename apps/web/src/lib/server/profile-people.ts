import { PROFILE_PEOPLE_PAGE } from '#lib/following.ts';
import type { serverApi } from './api.ts';
import { settled } from './load.ts';

type Api = ReturnType<typeof serverApi>;

/** The first page of a profile's followers and of whom they follow; a failure leaves the rest of the page alone. */
export async function loadProfilePeople(api: Api, userId: string) {
  const [followers, following] = await Promise.allSettled([
    api.users.followers.query({ userId, limit: PROFILE_PEOPLE_PAGE }),
    api.users.following.query({ userId, limit: PROFILE_PEOPLE_PAGE }),
  ]);
  return { followers: settled(followers), following: settled(following) };
}
