import type { RouterOutputs } from '@app/api';

export type FollowedChannel = RouterOutputs['users']['followedChannels']['items'][number];
export type FollowedChannelPage = RouterOutputs['users']['followedChannels'];
export type FollowPage = RouterOutputs['users']['followers'];
export type FollowPerson = FollowPage['items'][number];

/** Followed channels the sidebar lists (live ones first); the Following page has them all. */
export const SIDEBAR_FOLLOWING = 8;
/** Channels per page of /following. */
export const FOLLOWING_PAGE = 24;
/** People per page of a profile's followers or following. */
export const PROFILE_PEOPLE_PAGE = 12;

/** What the layout's followed channels depend on: re-read when a followed channel goes live. */
export const FOLLOWING_DEPENDENCY = 'app:following';
