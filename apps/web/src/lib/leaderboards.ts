import type { League } from './levels.ts';
import { formatTokenNumber } from './money.ts';
import type { Category, RegionTree } from './types.ts';

export type BoardKind = 'tippers' | 'streamers';
export type BoardPeriod = 'day' | 'week' | 'month' | 'all';
export type ScopeKind = 'global' | 'continent' | 'country' | 'category' | 'stream';
/** What `leaderboards.get` takes as its scope. */
export type BoardScope = { kind: ScopeKind; id?: string };
/** A board on the page: which board, where, and over which period (all three live in the address bar). */
export type BoardSelection = { board: BoardKind; scope: BoardScope; period: BoardPeriod };

export type BoardUser = {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  level?: number | null;
  league?: League | null;
};
export type BoardEntry = { rank: number; score: number; user: BoardUser | null };
/** The signed-in person on the board: their rank (null when not on it), score and tokens to pass the next one. */
export type BoardMe = { rank: number | null; score: number; toPass: number | null };
export type BoardView = { entries: BoardEntry[]; me: BoardMe | null };

export const BOARDS: readonly { id: BoardKind; label: string }[] = [
  { id: 'tippers', label: 'Top tippers' },
  { id: 'streamers', label: 'Top streamers' },
];

export const PERIODS: readonly { id: BoardPeriod; label: string }[] = [
  { id: 'day', label: 'Today' },
  { id: 'week', label: 'This week' },
  { id: 'month', label: 'This month' },
  { id: 'all', label: 'All time' },
];

/** The stream page's board: the room's tippers today and of all time. */
export const STREAM_PERIODS: readonly { id: BoardPeriod; label: string }[] = [
  { id: 'day', label: 'Today' },
  { id: 'all', label: 'All time' },
];

/** The small print under the period tabs. */
export const PERIOD_NOTE = 'Days, weeks (from Monday) and months are in UTC.';

/** Entries on the `/leaderboards` page and on a stream's panel. */
export const PAGE_LIMIT = 50;
export const STREAM_LIMIT = 10;
/** How often a visible board asks again. */
export const BOARD_REFRESH_MS = 5_000;
/** A stream's board asks again at most this often while tips pour in. */
export const STREAM_REFRESH_THROTTLE_MS = 2_000;
/** A stream's board also asks this often while the page is visible. */
export const STREAM_POLL_MS = 15_000;
/** How long after a tip a stream's board asks: the projector moves the boards within about a second. */
export const STREAM_REFRESH_DELAY_MS = 1_000;

export const DEFAULT_SELECTION: BoardSelection = {
  board: 'tippers',
  scope: { kind: 'global' },
  period: 'day',
};

const PERIOD_WORDS: Record<BoardPeriod, string> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  all: '',
};

export function periodLabel(period: BoardPeriod): string {
  return PERIODS.find((candidate) => candidate.id === period)?.label ?? period;
}

/** What an empty board says. */
export function emptyBoardText(board: BoardKind, period: BoardPeriod): string {
  const when = PERIOD_WORDS[period] ? ` ${PERIOD_WORDS[period]}` : '';
  if (board === 'streamers') return `No streamer has earned tips yet${when}.`;
  return `No tips yet${when} — be the first`;
}

/** The scope as a word in the address bar: `global`, `continent:EU`, `country:FR`, `category:5`. */
export function scopeValue(scope: BoardScope): string {
  return scope.kind === 'global' || scope.id === undefined ? 'global' : `${scope.kind}:${scope.id}`;
}

const PAGE_SCOPES = new Set<ScopeKind>(['continent', 'country', 'category']);

/** The scope an address-bar word names; anything unknown is the global board. */
export function parseScope(value: string | null | undefined): BoardScope {
  const [kind, id] = (value ?? '').split(':', 2);
  if (kind && id && PAGE_SCOPES.has(kind as ScopeKind) && /^[\w-]{1,64}$/.test(id)) {
    return { kind: kind as ScopeKind, id };
  }
  return { kind: 'global' };
}

function oneOf<T extends string>(value: string | null, allowed: readonly { id: T }[], fallback: T): T {
  return allowed.find((candidate) => candidate.id === value)?.id ?? fallback;
}

/** The board the address bar asks for (`?board=&scope=&period=`). */
export function parseSelection(params: URLSearchParams): BoardSelection {
  return {
    board: oneOf(params.get('board'), BOARDS, DEFAULT_SELECTION.board),
    scope: parseScope(params.get('scope')),
    period: oneOf(params.get('period'), PERIODS, DEFAULT_SELECTION.period),
  };
}

/** The address of a board; the defaults are left out so `/leaderboards` is today's global tippers. */
export function selectionHref(selection: BoardSelection): string {
  const params = new URLSearchParams();
  if (selection.board !== DEFAULT_SELECTION.board) params.set('board', selection.board);
  const scope = scopeValue(selection.scope);
  if (scope !== 'global') params.set('scope', scope);
  if (selection.period !== DEFAULT_SELECTION.period) params.set('period', selection.period);
  const query = params.toString();
  return query ? `/leaderboards?${query}` : '/leaderboards';
}

export type ScopeOption = { value: string; label: string };
export type ScopeGroup = { label: string; options: ScopeOption[] };

/**
 * The scope picker's choices: global, each continent and each country (under its continent) by ISO code, each
 * category by id.
 */
export function scopeGroups(tree: RegionTree | null, categories: readonly Category[] | null): ScopeGroup[] {
  const groups: ScopeGroup[] = [{ label: 'Everywhere', options: [{ value: 'global', label: 'Global' }] }];
  if (tree && tree.length > 0) {
    groups.push({
      label: 'Continents',
      options: tree.flatMap((continent) =>
        continent.code ? [{ value: `continent:${continent.code}`, label: continent.name }] : [],
      ),
    });
    for (const continent of tree) {
      const countries = continent.children.filter((country) => country.code);
      if (countries.length === 0) continue;
      groups.push({
        label: `Countries in ${continent.name}`,
        options: countries
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((country) => ({ value: `country:${country.code}`, label: country.name })),
      });
    }
  }
  if (categories && categories.length > 0) {
    groups.push({
      label: 'Categories',
      options: [...categories]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((category) => ({ value: `category:${category.id}`, label: category.name })),
    });
  }
  return groups;
}

/** The scope's name for headings ("Global", "France", "Music"); null when the picker does not know it. */
export function scopeName(groups: readonly ScopeGroup[], scope: BoardScope): string | null {
  const value = scopeValue(scope);
  for (const group of groups) {
    const found = group.options.find((option) => option.value === value);
    if (found) return found.label;
  }
  return null;
}

/** A board user's name: their display name, or "Anonymous" when they hide from boards or tipped anonymously. */
export function entryName(entry: Pick<BoardEntry, 'user'>): string {
  return entry.user?.displayName ?? 'Anonymous';
}

export function formatRank(rank: number): string {
  return `#${rank.toLocaleString('en-US')}`;
}

/** The line under "You" on a board: how far the next place is, or how to get on it. */
export function toPassText(board: BoardKind, me: BoardMe, entries: readonly BoardEntry[]): string {
  if (me.rank === null) {
    if (board === 'streamers') return 'Earn tips on your streams to get on the board';
    // `toPass` is then what it takes to enter the list shown (1 while it has room).
    const tokens = me.toPass ?? 1;
    return tokens > 1
      ? `Tip ${formatTokenNumber(tokens)} tokens to get on the board`
      : 'Tip to get on the board';
  }
  if (me.rank === 1) return 'You’re on top — hold the lead';
  const ahead = entries.find((entry) => entry.rank === me.rank! - 1);
  const who = ahead ? (ahead.user ? `@${ahead.user.username}` : 'Anonymous') : 'the next person';
  const tokens = me.toPass ?? 1;
  return `${formatTokenNumber(tokens)} ${tokens === 1 ? 'token' : 'tokens'} to pass ${who}`;
}

/** Whether the viewer's own entry is in `entries` (then the "You" box says so instead of repeating it). */
export function isMine(entry: BoardEntry, myId: string | null): boolean {
  return myId !== null && entry.user?.id === myId;
}

/** What `leaderboards.get` is asked for a selection. */
export function boardInput(selection: BoardSelection, limit: number) {
  const { board, scope, period } = selection;
  return {
    board,
    scope:
      scope.kind === 'global' || scope.id === undefined
        ? { kind: scope.kind }
        : { kind: scope.kind, id: scope.id },
    period,
    limit,
  };
}
