import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { League } from '../events/room.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { notFound } from '../kernel/errors.ts';
import { onSpendTrack, type Progress, progress, streamerXp } from './levels.ts';

export type LevelsView = {
  userId: string;
  username: string;
  viewer: Progress;
  /** Only for streamers (and admins who streamed). */
  streamer: Progress | null;
  spendTier: 0 | 1 | 2 | 3;
};

/** What anyone may see of someone's levels: no XP figures (1 XP per token would tell what they spent). */
export type PublicLevelsView = {
  username: string;
  viewer: { level: number; league: League; fraction: number };
  streamer: { level: number; league: League; fraction: number } | null;
  spendTier: 0 | 1 | 2 | 3;
};

type Row = {
  userId: string;
  username: string;
  role: string;
  spendXp: number | null;
  activityXp: number | null;
  standingPurchases: number | null;
  spendTier: number | null;
  earnedXp: number | null;
  liveSeconds: number | null;
};

async function readLevels(deps: CoreDeps, where: ReturnType<typeof sql>): Promise<LevelsView | null> {
  const [row] = rowsOf<Row>(
    await deps.db.execute(sql`
      select u.id as "userId", u.username, u.role::text as role,
        l.spend_xp::float8 as "spendXp", l.activity_xp as "activityXp", l.standing_purchases as "standingPurchases",
        l.spend_tier as "spendTier", s.earned_xp::float8 as "earnedXp", s.live_seconds::float8 as "liveSeconds"
      from users u
      left join user_levels l on l.user_id = u.id
      left join streamer_levels s on s.user_id = u.id
      where ${where}`),
  );
  if (!row) return null;
  const inputs = {
    spendXp: Number(row.spendXp ?? 0),
    activityXp: Number(row.activityXp ?? 0),
    standingPurchases: Number(row.standingPurchases ?? 0),
  };
  const spendTrack = onSpendTrack(inputs);
  const xp = spendTrack ? Math.max(0, inputs.spendXp) : inputs.activityXp;
  const isStreamer = row.role === 'streamer' || row.earnedXp !== null;
  return {
    userId: row.userId,
    username: row.username,
    viewer: progress('viewer', xp, spendTrack),
    streamer: isStreamer
      ? progress('streamer', streamerXp(Number(row.earnedXp ?? 0), Number(row.liveSeconds ?? 0)))
      : null,
    spendTier: Math.min(3, Math.max(0, Number(row.spendTier ?? 0))) as 0 | 1 | 2 | 3,
  };
}

/** The signed-in user's own levels, with XP figures. */
export async function myLevels(deps: CoreDeps, userId: string): Promise<LevelsView> {
  const view = await readLevels(deps, sql`u.id = ${userId}`);
  if (!view) throw notFound('Your account');
  return view;
}

function publicOf(p: Progress) {
  return { level: p.level, league: p.league, fraction: Math.round(p.fraction * 100) / 100 };
}

/** Anyone's levels as the public sees them (level, league, progress to the next; no XP). */
export async function levelsByUsername(deps: CoreDeps, username: string): Promise<PublicLevelsView> {
  const view = await readLevels(deps, sql`u.username = ${username.toLowerCase()} and u.banned_at is null`);
  if (!view) throw notFound(`The user ${username}`);
  return {
    username: view.username,
    viewer: publicOf(view.viewer),
    streamer: view.streamer ? publicOf(view.streamer) : null,
    spendTier: view.spendTier,
  };
}
