import type { TipFact } from '../facts.ts';

// The boards' key scheme (ROOM-ECONOMY.md): `lb:{board}:{scope}:{bucket}` under the deployment's Redis prefix, and
// the same three parts as columns of the Postgres rollup. Every period is UTC.

export type Board = 'tippers' | 'streamers';
export type Period = 'day' | 'week' | 'month' | 'all';

/** One score change: `delta` tokens for `member` on the board `board`, scope `scope`, bucket `bucket`. */
export type BoardIncrement = { board: Board; scope: string; bucket: string; member: string; delta: number };

/** Where a user is, as board scopes see it: their region's continent and country codes (null when unset). */
export type RegionScope = { continent: string | null; country: string | null };

export const NO_REGION: RegionScope = { continent: null, country: null };

/** How long a period's key lives after its last write: a closed period stays readable for a while. */
export const BUCKET_TTL_SECONDS: Record<'d' | 'w' | 'm' | 'h', number> = {
  d: 3 * 86_400,
  w: 16 * 86_400,
  m: 63 * 86_400,
  h: 13 * 3_600,
};

/** The king is the top of the stream's hourly keys over this many hours (the current one and 11 before). */
export const KING_HOURS = 12;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function dayBucket(at: Date): string {
  return `d:${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

export function monthBucket(at: Date): string {
  return `m:${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`;
}

export function hourBucket(at: Date): string {
  return `h:${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}`;
}

/** ISO 8601 week: weeks start Monday 00:00 UTC; week 1 holds the year's first Thursday (the week-year may differ). */
export function weekBucket(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the week-year.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `w:${year}-W${pad(week)}`;
}

/** The bucket a period's board reads at `now`. */
export function bucketFor(period: Period, now: Date): string {
  if (period === 'day') return dayBucket(now);
  if (period === 'week') return weekBucket(now);
  if (period === 'month') return monthBucket(now);
  return 'all';
}

/** The hourly buckets the king is counted over, newest first. */
export function kingHours(now: Date): string[] {
  const hours: string[] = [];
  for (let i = 0; i < KING_HOURS; i++) hours.push(hourBucket(new Date(now.getTime() - i * 3_600_000)));
  return hours;
}

/** Seconds a key lives after a write, by its bucket (`all` never expires: 0). */
export function bucketTtl(bucket: string): number {
  const kind = bucket.slice(0, 2);
  if (kind === 'd:') return BUCKET_TTL_SECONDS.d;
  if (kind === 'w:') return BUCKET_TTL_SECONDS.w;
  if (kind === 'm:') return BUCKET_TTL_SECONDS.m;
  if (kind === 'h:') return BUCKET_TTL_SECONDS.h;
  return 0;
}

/** A board key's part after `lb:`. */
export function relativeKey(increment: Pick<BoardIncrement, 'board' | 'scope' | 'bucket'>): string {
  return `${increment.board}:${increment.scope}:${increment.bucket}`;
}

export function regionScopes(region: RegionScope): string[] {
  const scopes: string[] = [];
  if (region.continent) scopes.push(`cont:${region.continent}`);
  if (region.country) scopes.push(`ctry:${region.country}`);
  return scopes;
}

/** A tip's period buckets at its own time: day, ISO week, month and all time (the room adds the hour). */
export function periodBuckets(at: Date): string[] {
  return [dayBucket(at), weekBucket(at), monthBucket(at), 'all'];
}

/**
 * The scopes a tip counts in, per board. Tippers boards count the tipper in the tipper's region and the stream's
 * category, and in the streamer's room (`room`, with the hourly buckets the king is read from); streamers boards
 * count the streamer in the streamer's region and the category. An anonymous tip counts for the streamer only: it
 * is on no tippers board, hour key or crown.
 */
export function tipScopes(
  fact: TipFact,
  tipper: RegionScope,
  streamer: RegionScope,
): { streamers: string[]; tippers: string[]; room: string | null } {
  const category = fact.categoryId === null ? [] : [`cat:${fact.categoryId}`];
  const streamers = ['g', ...regionScopes(streamer), ...category];
  if (fact.anonymous) return { streamers, tippers: [], room: null };
  return { streamers, tippers: ['g', ...regionScopes(tipper), ...category], room: `str:${fact.streamerId}` };
}

/** Every score change a tip (or its reversal, with a negative amount) makes, at the tip's own buckets. */
export function tipIncrements(fact: TipFact, tipper: RegionScope, streamer: RegionScope): BoardIncrement[] {
  const buckets = periodBuckets(fact.tippedAt);
  const scopes = tipScopes(fact, tipper, streamer);
  const out: BoardIncrement[] = [];
  const add = (board: Board, scope: string, member: string, at: string[]) => {
    for (const bucket of at) out.push({ board, scope, bucket, member, delta: fact.amountTokens });
  };
  for (const scope of scopes.streamers) add('streamers', scope, fact.streamerId, buckets);
  for (const scope of scopes.tippers) add('tippers', scope, fact.tipperId, buckets);
  if (scopes.room) add('tippers', scopes.room, fact.tipperId, [...buckets, hourBucket(fact.tippedAt)]);
  return out;
}
