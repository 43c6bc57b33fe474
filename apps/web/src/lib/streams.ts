import type { RouterInputs, RouterOutputs } from '@app/api';

export type StreamCard = RouterOutputs['streams']['live']['items'][number];
export type StreamView = RouterOutputs['streams']['byId'];
export type StreamPage = RouterOutputs['streams']['live'];
export type StreamStatus = StreamCard['status'];
export type StreamGate = StreamCard['gate'];
export type MediaToken = RouterOutputs['streams']['viewerToken'];
export type IngressView = NonNullable<RouterOutputs['streams']['ingress']['get']>;
export type IngressKind = IngressView['kind'];
export type IngressPreset = IngressView['preset'];
export type RegionStats = RouterOutputs['regions']['stats'];
export type FollowState = RouterOutputs['users']['follow'];
/** `streams.live` input (the procedure also accepts no input at all, which this leaves out). */
export type LiveQuery = Extract<RouterInputs['streams']['live'], { sort?: unknown }>;
export type StreamSort = NonNullable<LiveQuery['sort']>;

/** Cards per page of the live grid (at most `STREAM_LIMITS.pageMax`); "Load more" fetches the next page. */
export const BROWSE_PAGE_SIZE = 24;
/** Cards in the home page's featured row (at most `STREAM_LIMITS.featuredMax`). */
export const FEATURED_LIMIT = 4;

export const SORT_OPTIONS: readonly { value: StreamSort; label: string }[] = [
  { value: 'viewers', label: 'Most viewers' },
  { value: 'newest', label: 'Newest' },
  { value: 'trending', label: 'Trending' },
];
const DEFAULT_SORT: StreamSort = 'viewers';

/**
 * What the NSFW switch asks the API for: `default` leaves `nsfw` out (safe-for-work only unless the viewer is
 * age-verified), `sfw` sends false, `nsfw` sends true (adults-only streams; gated cards for others).
 */
export type ContentFilter = 'default' | 'sfw' | 'nsfw';
const CONTENT_PARAM: Record<ContentFilter, string | null> = { default: null, sfw: 'off', nsfw: 'only' };

/** The browse view as the address bar holds it, so a link reproduces it. */
export interface BrowseFilters {
  /** Category slug (readable in a link); null for every category. */
  category: string | null;
  /** A continent, country or city; null for everywhere. */
  regionId: number | null;
  sort: StreamSort;
  content: ContentFilter;
}

function positiveInt(value: string | null): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const number = Number(value);
  return number > 0 ? number : null;
}

/** Reads `?category=&region=&sort=&nsfw=`; anything unknown falls back to its default. */
export function parseBrowseFilters(params: URLSearchParams): BrowseFilters {
  const sort = SORT_OPTIONS.find((option) => option.value === params.get('sort'))?.value ?? DEFAULT_SORT;
  const nsfw = params.get('nsfw');
  const content = (Object.keys(CONTENT_PARAM) as ContentFilter[]).find((key) => CONTENT_PARAM[key] === nsfw);
  const category = params.get('category')?.trim().toLowerCase() || null;
  return { category, regionId: positiveInt(params.get('region')), sort, content: content ?? 'default' };
}

/** The query string for `filters` (defaults left out, so the plain page has a plain address). */
export function browseSearch(filters: BrowseFilters, options: { withCategory?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (filters.category && options.withCategory !== false) params.set('category', filters.category);
  if (filters.regionId !== null) params.set('region', String(filters.regionId));
  if (filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  const content = CONTENT_PARAM[filters.content];
  if (content) params.set('nsfw', content);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `streams.live` input for the filters; the category is the resolved id (null: unknown slug or all). */
export function liveQuery(filters: BrowseFilters, categoryId: number | null, cursor?: string): LiveQuery {
  return {
    sort: filters.sort,
    limit: BROWSE_PAGE_SIZE,
    ...(categoryId !== null ? { categoryId } : {}),
    ...(filters.regionId !== null ? { regionId: filters.regionId } : {}),
    ...(filters.content === 'sfw' ? { nsfw: false } : filters.content === 'nsfw' ? { nsfw: true } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function streamHref(streamId: string): string {
  return `/live/${encodeURIComponent(streamId)}`;
}

const compactFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const numberFormat = new Intl.NumberFormat('en');

/** "1.2K" on a tile; the exact number goes in its accessible label. */
export function compactCount(value: number): string {
  return value < 1000 ? String(value) : compactFormat.format(value);
}

/** "1 viewer", "1,204 viewers". */
export function viewersLabel(value: number): string {
  return `${numberFormat.format(value)} ${value === 1 ? 'viewer' : 'viewers'}`;
}

/**
 * "42 min", "2 h 05 min", "3 days" — how long a stream has run or ran. Coarser than `formatDuration` (a wait or
 * a timeout, to the second): a stream's length is told in whole minutes, then hours, then days.
 */
export function formatElapsed(totalSeconds: number | null): string | null {
  if (totalSeconds === null || !Number.isFinite(totalSeconds) || totalSeconds < 0) return null;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago" (relative to `now`). */
export function timeAgo(value: Date | string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(value).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} days ago`;
}

export const STATUS_LABELS: Record<StreamStatus, string> = {
  draft: 'Not live yet',
  live: 'Live',
  ended: 'Ended',
};

/** Splits what a streamer types ("music, Chill  ,90s") into the tags the API expects. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter((tag) => tag.length > 0);
  return [...new Set(tags)];
}

export const INGRESS_PRESETS: readonly { value: IngressPreset; label: string; whipOnly?: boolean }[] = [
  { value: '540p', label: '540p (light, for slow uploads)' },
  { value: '720p', label: '720p (recommended)' },
  { value: '1080p', label: '1080p' },
  { value: '720p_high_motion', label: '720p high motion (games, sports)' },
  { value: '1080p_high_motion', label: '1080p high motion (games, sports)' },
  { value: 'passthrough', label: 'Passthrough — no transcoding (WHIP only)', whipOnly: true },
];

/** Who may open the studio: streamers and admins (the API's `streamerProcedure`). */
export function canStream(role: string): boolean {
  return role === 'streamer' || role === 'admin';
}
