import { leagueOf } from '@app/api/client';

export type League = ReturnType<typeof leagueOf>;

const LEAGUE_NAMES: Record<League, string> = {
  grey: 'Grey',
  bronze: 'Bronze',
  silver: 'Silver',
  gold: 'Gold',
  diamond: 'Diamond',
  royal: 'Royal',
  legend: 'Legend',
};

/** "Bronze": a league as people read it. */
export function leagueName(league: League): string {
  return LEAGUE_NAMES[league] ?? league;
}

/** The league of a level (lines stored before levels existed carry none). */
export function leagueFor(level: number, league?: League | null): League {
  return league ?? leagueOf(level);
}

/** "name reached level 12 · Bronze": the room's announcement of a level-up. */
export function levelUpLine(name: string, level: number, league: League): string {
  return `${name} reached level ${level} · ${leagueName(league)}`;
}

/** A chat name's colour class from 14-day spend (0: the default colour). */
export function spendTierOf(sender: { spendTier?: number } | null | undefined): 0 | 1 | 2 | 3 {
  const tier = sender?.spendTier ?? 0;
  return (tier >= 1 && tier <= 3 ? tier : 0) as 0 | 1 | 2 | 3;
}
