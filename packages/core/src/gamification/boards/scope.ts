import { categories, streams } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreDeps } from '../../kernel/deps.ts';
import { invalid } from '../../kernel/errors.ts';
import type { Board, Period } from './keys.ts';
import { regionCodes } from './regions.ts';

/** The longest board a caller may ask for. */
export const BOARD_LIMIT_MAX = 100;

const SCOPE_KINDS = ['global', 'continent', 'country', 'category', 'stream'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const leaderboardInput = z.object({
  board: z.enum(['tippers', 'streamers'], 'Choose the tippers or the streamers board.'),
  scope: z.object(
    {
      kind: z.enum(SCOPE_KINDS, 'Choose a scope: global, continent, country, category or stream.'),
      id: z.string().trim().min(1, 'Say which one.').max(64, 'That id is too long to be one.').optional(),
    },
    'Choose a scope for the board.',
  ),
  period: z.enum(['day', 'week', 'month', 'all'], 'Choose a period: day, week, month or all time.'),
  limit: z
    .number('Say how many places to show.')
    .int('Show a whole number of places.')
    .min(1, 'Show at least 1 place.')
    .max(BOARD_LIMIT_MAX, `A board shows at most ${BOARD_LIMIT_MAX} places.`)
    .default(10),
});
export type LeaderboardInput = z.output<typeof leaderboardInput>;

export const boardVisibilityInput = z.object({
  hidden: z.boolean('Say whether to hide from public boards (true or false).'),
});

/** How long a category's or stream's scope is remembered (a stream's streamer never changes). */
const SCOPE_CACHE_MS = 60_000;
const SCOPE_CACHE_MAX = 50_000;
const scopeCache = new Map<object, Map<string, { at: number; scope: string }>>();

async function cachedScope(deps: CoreDeps, key: string, find: () => Promise<string>): Promise<string> {
  let cache = scopeCache.get(deps.db);
  if (!cache) {
    cache = new Map();
    scopeCache.set(deps.db, cache);
  }
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < SCOPE_CACHE_MS) return hit.scope;
  const scope = await find();
  if (cache.size >= SCOPE_CACHE_MAX) cache.clear();
  cache.set(key, { at: Date.now(), scope });
  return scope;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scope part of a board key for a caller's scope, or a refusal saying what to fix. */
export async function resolveScope(
  deps: CoreDeps,
  board: Board,
  scope: { kind: ScopeKind; id?: string | undefined },
): Promise<string> {
  if (scope.kind === 'global') return 'g';
  const id = scope.id;
  if (!id) throw invalid('scope.id', `Say which ${scope.kind} the board is for.`);
  if (scope.kind === 'continent' || scope.kind === 'country') {
    const code = id.toUpperCase();
    const codes = await regionCodes(deps.db);
    const known = scope.kind === 'continent' ? codes.continents : codes.countries;
    if (!known.has(code)) {
      throw invalid('scope.id', `There is no ${scope.kind} with the code "${id}". Use its two-letter code.`);
    }
    return `${scope.kind === 'continent' ? 'cont' : 'ctry'}:${code}`;
  }
  if (scope.kind === 'category') return cachedScope(deps, `cat:${id}`, () => categoryScope(deps, id));
  if (board === 'streamers') {
    throw invalid(
      'scope.kind',
      'A streamers board has no stream scope: pick global, continent, country or category.',
    );
  }
  if (!UUID.test(id)) throw invalid('scope.id', 'That is not a stream id.');
  return cachedScope(deps, `str:${id}`, () => streamScope(deps, id));
}

async function categoryScope(deps: CoreDeps, id: string): Promise<string> {
  const byId = /^\d{1,9}$/.test(id);
  const [row] = await deps.db
    .select({ id: categories.id })
    .from(categories)
    .where(byId ? eq(categories.id, Number(id)) : eq(categories.slug, id.toLowerCase()))
    .limit(1);
  if (!row) throw invalid('scope.id', `There is no category "${id}". Use a category's id or slug.`);
  return `cat:${row.id}`;
}

async function streamScope(deps: CoreDeps, id: string): Promise<string> {
  const [row] = await deps.db
    .select({ streamerId: streams.streamerId })
    .from(streams)
    .where(eq(streams.id, id))
    .limit(1);
  if (!row) throw invalid('scope.id', 'There is no stream with that id.');
  return `str:${row.streamerId}`;
}

export type { Period };
