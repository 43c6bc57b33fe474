import type { RouterOutputs } from '@app/api';

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type Role = Me['role'];
export type PublicUser = RouterOutputs['users']['byUsername'];
export type Category = RouterOutputs['categories']['list'][number];
export type RegionTree = RouterOutputs['regions']['tree'];
export type UserSearchPage = RouterOutputs['users']['search'];
