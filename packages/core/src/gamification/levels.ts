import type { League } from '../events/room.ts';

// The level curve, as configuration: every figure of levels, leagues and activity caps is here.

export const MAX_LEVEL = 100;

/** The seven leagues and the levels each spans. */
export const LEAGUES: readonly { league: League; from: number; to: number }[] = [
  { league: 'grey', from: 1, to: 9 },
  { league: 'bronze', from: 10, to: 19 },
  { league: 'silver', from: 20, to: 34 },
  { league: 'gold', from: 35, to: 54 },
  { league: 'diamond', from: 55, to: 79 },
  { league: 'royal', from: 80, to: 99 },
  { league: 'legend', from: 100, to: 100 },
];

/** Activity XP (watching, chatting) needed for levels 1–9: the grey league. Activity XP stops at the last one. */
export const GREY_XP: readonly number[] = [0, 10, 25, 50, 90, 140, 200, 270, 350];
/** Activity XP never lifts anyone past level 9: this is all of it that counts. */
export const ACTIVITY_XP_MAX = GREY_XP[GREY_XP.length - 1]!;

/** The level a first purchase that still stands, or a first tip, lifts a user to. */
export const SPEND_LEVEL_START = 10;
/** Growth of the XP needed per level, from level 10 on (and for streamers from level 1). */
export const LEVEL_RATIO = 1.0766;
/** XP from level 10 to 11 (and a streamer's from 1 to 2). */
export const LEVEL_BASE_XP = 100;

/** Chat XP: 1 per message, up to this many a UTC day. */
export const CHAT_XP_PER_DAY = 20;
/** Watch XP: 1 per minute watching a live room, up to this many a UTC day. */
export const WATCH_XP_PER_DAY = 30;
/** A streamer's XP per hour live (on top of 1 XP per token earned that still stands). */
export const STREAMER_XP_PER_HOUR = 100;

/** Name colour by 14-day spend: tier 1, 2, 3 from these many tokens tipped in the last 14 UTC days. */
export const SPEND_TIERS: readonly number[] = [50, 250, 1_000];
export const SPEND_TIER_DAYS = 14;

/** `LEVEL_BASE_XP · (r^n − 1)/(r − 1)`: the XP of n levels' climb on the curve, rounded to a whole XP. */
function curve(steps: number): number {
  return Math.round((LEVEL_BASE_XP * (LEVEL_RATIO ** steps - 1)) / (LEVEL_RATIO - 1));
}

/** Spend XP needed for levels 10..100 (index 0 is level 10, at 0 XP). */
export const SPEND_XP: readonly number[] = Array.from({ length: MAX_LEVEL - SPEND_LEVEL_START + 1 }, (_, i) =>
  curve(i),
);

/**
 * A streamer's XP needed for levels 1..100 (index 0 is level 1): the same curve from level 1, so level 2 takes an
 * hour live or 100 tokens, level 20 ≈ 4,000 XP, level 50 ≈ 47,300, level 100 ≈ 1.94 million.
 */
export const STREAMER_XP: readonly number[] = Array.from({ length: MAX_LEVEL }, (_, i) => curve(i));

export type Track = 'viewer' | 'streamer';

/** What a viewer's level is made of (the `user_levels` row's inputs). */
export type ViewerXp = { spendXp: number; activityXp: number; standingPurchases: number };

/** True once a user has spent tokens or holds a purchase: their level runs on spend XP from level 10. */
export function onSpendTrack(input: ViewerXp): boolean {
  return input.standingPurchases > 0 || input.spendXp > 0;
}

/** The XP a viewer's level is read from: spend XP on the spend track, capped activity XP before it. */
export function viewerXp(input: ViewerXp): number {
  return onSpendTrack(input)
    ? Math.max(0, input.spendXp)
    : Math.min(ACTIVITY_XP_MAX, Math.max(0, input.activityXp));
}

/** How many thresholds are at or below `xp` (thresholds ascending, the first 0). */
function countUpTo(thresholds: readonly number[], xp: number): number {
  let n = 0;
  while (n < thresholds.length && thresholds[n]! <= xp) n++;
  return Math.max(1, n);
}

/** A viewer's level from their XP inputs. */
export function viewerLevel(input: ViewerXp): number {
  const xp = viewerXp(input);
  return onSpendTrack(input) ? SPEND_LEVEL_START - 1 + countUpTo(SPEND_XP, xp) : countUpTo(GREY_XP, xp);
}

/** A streamer's XP: tokens earned that still stand, plus `STREAMER_XP_PER_HOUR` per hour live. */
export function streamerXp(earnedXp: number, liveSeconds: number): number {
  return Math.max(0, earnedXp) + Math.floor((Math.max(0, liveSeconds) * STREAMER_XP_PER_HOUR) / 3600);
}

/** The level for an XP figure on a track (viewer: `spendTrack` says which part of the curve). */
export function levelFor(track: Track, xp: number, spendTrack = true): number {
  if (track === 'streamer') return countUpTo(STREAMER_XP, xp);
  return spendTrack ? SPEND_LEVEL_START - 1 + countUpTo(SPEND_XP, xp) : countUpTo(GREY_XP, xp);
}

/** The XP at which a level starts on a track (viewer levels 1–9 count activity XP, 10+ spend XP). */
export function xpForLevel(track: Track, level: number): number {
  const l = Math.min(MAX_LEVEL, Math.max(1, Math.floor(level)));
  if (track === 'streamer') return STREAMER_XP[l - 1]!;
  return l < SPEND_LEVEL_START ? GREY_XP[l - 1]! : SPEND_XP[l - SPEND_LEVEL_START]!;
}

export type Progress = {
  level: number;
  league: League;
  xp: number;
  /** XP earned since the level started. */
  xpIntoLevel: number;
  /** XP from this level's start to the next; null at level 100 (and at 9 before a first purchase or tip). */
  xpForNext: number | null;
  /** 0..1 of the way to the next level (1 when there is none). */
  fraction: number;
};

/** Where an XP figure stands: level, league, XP into the level and to the next. */
export function progress(track: Track, xp: number, spendTrack = true): Progress {
  const level = levelFor(track, xp, spendTrack);
  const start = xpForLevel(track, level);
  // A grey level 9 goes on only with a purchase or a tip: activity XP has no next threshold there.
  const capped = level >= MAX_LEVEL || (track === 'viewer' && !spendTrack && level >= SPEND_LEVEL_START - 1);
  const next = capped ? null : xpForLevel(track, level + 1) - start;
  const into = Math.max(0, xp - start);
  return {
    level,
    league: leagueOf(level),
    xp,
    xpIntoLevel: into,
    xpForNext: next,
    fraction: next === null ? 1 : Math.min(1, into / next),
  };
}

export function leagueOf(level: number): League {
  for (const entry of LEAGUES) if (level <= entry.to) return entry.league;
  return 'legend';
}

/** The name colour tier (0–3) for the tokens tipped in the last 14 days. */
export function spendTierFor(tokens: number): 0 | 1 | 2 | 3 {
  let tier = 0;
  for (const threshold of SPEND_TIERS) if (tokens >= threshold) tier++;
  return tier as 0 | 1 | 2 | 3;
}

/** The whole table, for `levels.table`. */
export function levelTable() {
  return {
    leagues: LEAGUES.map((l) => ({ ...l })),
    viewer: Array.from({ length: MAX_LEVEL }, (_, i) => ({
      level: i + 1,
      league: leagueOf(i + 1),
      xp: xpForLevel('viewer', i + 1),
      /** Levels 1–9 count activity XP (watching, chatting); 10 on, tokens tipped. */
      from: i + 1 < SPEND_LEVEL_START ? ('activity' as const) : ('spend' as const),
    })),
    streamer: STREAMER_XP.map((xp, i) => ({ level: i + 1, league: leagueOf(i + 1), xp })),
    activity: {
      chatXpPerMessage: 1,
      chatXpPerDay: CHAT_XP_PER_DAY,
      watchXpPerMinute: 1,
      watchXpPerDay: WATCH_XP_PER_DAY,
      maxLevel: SPEND_LEVEL_START - 1,
    },
    streamerXpPerHour: STREAMER_XP_PER_HOUR,
    spendTiers: SPEND_TIERS.map((tokens, i) => ({ tier: i + 1, tokens, days: SPEND_TIER_DAYS })),
  };
}

/** `{0,10,…}`: a threshold list as a Postgres array literal, for set-based level statements. */
export function pgArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}
