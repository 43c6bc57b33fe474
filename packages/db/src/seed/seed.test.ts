import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { CATEGORIES } from './data/categories.ts';
import { DEMO_GRANT_TOKENS, LIVE_STREAMS } from './data/live-streams.ts';
import { CONTINENTS } from './data/regions.ts';
import { TOKEN_PACKAGES } from './data/token-packages.ts';
import { DEMO_USERS } from './data/users.ts';
import { type SeedSummary, seedDatabase } from './index.ts';

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const COUNTED_TABLES = [
  'regions',
  'categories',
  'token_packages',
  'users',
  'user_levels',
  'streams',
  'user_follows',
  'ledger_accounts',
  'ledger_transactions',
  'ledger_entries',
  'messages',
  'chat_events',
  'tips',
  'stream_goals',
  'moderation_logs',
] as const;

let database: TestDatabase;
let first: SeedSummary;

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const [row] = await database.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
    counts[table] = row?.count ?? -1;
  }
  return counts;
}

beforeAll(async () => {
  database = await createTestDatabase();
  first = await seedDatabase(database.db);
});

afterAll(async () => {
  await database?.drop();
});

describe('seed data', () => {
  const countries = CONTINENTS.flatMap((continent) => continent.countries);

  test('every continent, country and city has a kebab-case slug unique under its parent', () => {
    const levels = [CONTINENTS, ...CONTINENTS.map((c) => c.countries), ...countries.map((c) => c.cities)];
    for (const siblings of levels) {
      for (const { slug } of siblings) expect(slug).toMatch(KEBAB_CASE);
      expect(new Set(siblings.map((s) => s.slug)).size).toBe(siblings.length);
    }
  });

  test('codes are two capital letters and unique; every country has 2 to 5 cities on the globe', () => {
    const codes = [...CONTINENTS, ...countries].map((region) => region.code);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{2}$/);
    expect(new Set(countries.map((c) => c.code)).size).toBe(countries.length);
    for (const country of countries) {
      expect(country.cities.length).toBeGreaterThanOrEqual(2);
      expect(country.cities.length).toBeLessThanOrEqual(5);
      for (const city of country.cities) {
        expect(Math.abs(city.latitude)).toBeLessThanOrEqual(90);
        expect(Math.abs(city.longitude)).toBeLessThanOrEqual(180);
      }
    }
  });

  test('usernames are lower-case, unique and follow only existing users', () => {
    const usernames = new Set(DEMO_USERS.map((user) => user.username));
    expect(usernames.size).toBe(DEMO_USERS.length);
    for (const user of DEMO_USERS) {
      expect(user.username).toMatch(/^[a-z0-9_]{3,24}$/);
      for (const followee of user.follows ?? []) {
        expect(usernames.has(followee)).toBe(true);
        expect(followee).not.toBe(user.username);
      }
    }
  });
});

describe('seedDatabase', () => {
  test('reports what it inserted', () => {
    expect(first.seeded).toBe(true);
    if (!first.seeded) return;
    expect(first.counts.categories).toBe(CATEGORIES.length);
    expect(first.counts.tokenPackages).toBe(TOKEN_PACKAGES.length);
    expect(first.counts.users).toBe(DEMO_USERS.length);
    expect(first.counts.userLevels).toBe(DEMO_USERS.length);
    expect(first.credentials).toHaveLength(DEMO_USERS.length);
  });

  test('its counts match the tables', async () => {
    if (!first.seeded) throw new Error('The first seed did not run.');
    const counts = await tableCounts();
    const { continents, countries, cities } = first.counts;
    expect(counts.regions).toBe(continents + countries + cities);
    expect(counts.streams).toBe(first.counts.streams);
    expect(counts.user_follows).toBe(first.counts.follows);
  });

  test('inserts all continents, the countries under them and the cities under those', async () => {
    const kinds = await database.query<{ kind: string; count: number }>(
      'SELECT kind, count(*)::int AS count FROM regions GROUP BY kind',
    );
    const byKind = Object.fromEntries(kinds.map((row) => [row.kind, row.count]));
    expect(byKind.continent).toBeGreaterThanOrEqual(7);
    expect(byKind.country).toBeGreaterThanOrEqual(40);
    expect(byKind.city).toBeGreaterThanOrEqual(100);

    const continents = await database.query<{ code: string }>(
      "SELECT code FROM regions WHERE kind = 'continent' ORDER BY code",
    );
    expect(continents.map((row) => row.code)).toEqual(['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA']);

    const misplaced = await database.query(`
      SELECT child.name FROM regions child LEFT JOIN regions parent ON parent.id = child.parent_id
      WHERE (child.kind = 'city' AND parent.kind IS DISTINCT FROM 'country')
         OR (child.kind = 'country' AND parent.kind IS DISTINCT FROM 'continent')
         OR (child.kind = 'city' AND (child.latitude IS NULL OR child.longitude IS NULL))`);
    expect(misplaced).toEqual([]);
  });

  test('inserts the categories, one of them adult, and the token packages', async () => {
    const categories = await database.query<{ slug: string; adult: boolean }>(
      'SELECT slug, adult FROM categories',
    );
    expect(categories.length).toBeGreaterThanOrEqual(12);
    expect(categories.filter((c) => c.adult).map((c) => c.slug)).toEqual(['after-dark']);

    const packages = await database.query<{ tokens: number; bonus_tokens: number; price_cents: number }>(
      'SELECT tokens, bonus_tokens, price_cents FROM token_packages ORDER BY sort_order',
    );
    expect(packages).toEqual(
      TOKEN_PACKAGES.map((p) => ({
        tokens: p.tokens,
        bonus_tokens: p.bonusTokens,
        price_cents: p.priceCents,
      })),
    );
  });

  test('the admin and the moderator can log in with their dev passwords', async () => {
    for (const [username, role, password] of [
      ['admin', 'admin', 'admin-password-1'],
      ['moderator', 'moderator', 'moderator-password-1'],
    ]) {
      const [user] = await database.query<{ role: string; password_hash: string }>(
        'SELECT role, password_hash FROM users WHERE username = $1',
        [username],
      );
      expect(user?.role).toBe(role);
      expect(await Bun.password.verify(password ?? '', user?.password_hash ?? '')).toBe(true);
      expect(await Bun.password.verify('wrong-password-1', user?.password_hash ?? '')).toBe(false);
    }
  });

  test('gives every user a level and every streamer one open stream: a draft, or one of the live streams', async () => {
    const counts = await tableCounts();
    expect(counts.user_levels).toBe(counts.users);
    const [streams] = await database.query<{
      live: number;
      drafts: number;
      streamers: number;
      open: number;
    }>(`
      SELECT count(*) FILTER (WHERE status = 'live')::int AS live,
             count(*) FILTER (WHERE status = 'draft')::int AS drafts,
             count(DISTINCT streamer_id)::int AS streamers,
             count(*) FILTER (WHERE status = 'ended' AND (ended_at IS NULL OR ended_at > now()))::int AS open
      FROM streams`);
    expect(streams).toEqual({
      live: LIVE_STREAMS.length,
      drafts: 6,
      streamers: 6 + LIVE_STREAMS.length,
      open: 0,
    });
  });

  test('NSFW streams are exactly those in the adult category, from one streamer', async () => {
    const rows = await database.query<{ nsfw: boolean; adult: boolean; streamer: string }>(`
      SELECT s.nsfw, c.adult, u.username AS streamer
      FROM streams s JOIN categories c ON c.id = s.category_id JOIN users u ON u.id = s.streamer_id`);
    for (const row of rows) expect(row.nsfw).toBe(row.adult);
    expect(new Set(rows.filter((row) => row.nsfw).map((row) => row.streamer))).toEqual(new Set(['dj_kairo']));
  });

  test('the under-age viewer is not age-verified and the banned viewer is banned', async () => {
    const rows = await database.query<{
      username: string;
      age_verified: boolean;
      banned: boolean;
      age: number;
    }>(`
      SELECT username, age_verified_at IS NOT NULL AS age_verified, banned_at IS NOT NULL AS banned,
             date_part('year', age(date_of_birth))::int AS age
      FROM users`);
    for (const row of rows) if (row.age < 18) expect(row.age_verified).toBe(false);
    expect(rows.find((row) => row.username === 'liam_plays')?.age).toBe(16);
    expect(rows.filter((row) => row.banned).map((row) => row.username)).toEqual(['banned_user']);
  });

  test('stream settings are stored as objects that SQL can read (chat modes apply)', async () => {
    const rows = await database.query<{ type: string; chatMode: string | null }>(
      `SELECT jsonb_typeof(settings) AS type, settings->>'chatMode' AS "chatMode" FROM streams`,
    );
    expect(rows.every((row) => row.type === 'object')).toBe(true);
    expect(rows.some((row) => row.chatMode === 'verified')).toBe(true);
  });

  test('running it again changes nothing', async () => {
    const before = await tableCounts();
    const again = await seedDatabase(database.db);
    expect(again.seeded).toBe(false);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('the live demo', () => {
  test('several streams are live across categories and continents, with viewers; a pasta stream among them', async () => {
    const rows = await database.query<{
      title: string;
      tags: string[];
      category: string;
      continent: string;
      viewers: number;
    }>(`
      SELECT s.title, s.tags, c.slug AS category, continent.code AS continent, s.current_viewers AS viewers
      FROM streams s
      JOIN categories c ON c.id = s.category_id
      JOIN regions city ON city.id = s.region_id
      JOIN regions country ON country.id = city.parent_id
      JOIN regions continent ON continent.id = country.parent_id
      WHERE s.status = 'live' AND s.started_at <= now() AND NOT s.nsfw`);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((row) => row.category)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((row) => row.continent)).size).toBeGreaterThanOrEqual(4);
    expect(rows.every((row) => row.viewers > 0)).toBe(true);
    expect(rows.some((row) => row.tags.includes('pasta') && /pasta/i.test(row.title))).toBe(true);
  });

  test('each live stream has recent chat in its room log, tips with their lines, and an active goal for them', async () => {
    const rooms = await database.query<{
      chat: number;
      tip_lines: number;
      tips: number;
      tipped: number;
      events: number;
      progress: number;
      target: number;
      reached: boolean;
      counts_tips: boolean;
      queued: number;
    }>(`
      SELECT (SELECT count(*) FROM messages m WHERE m.stream_id = s.id AND m.kind = 'chat')::int AS chat,
             (SELECT count(*) FROM messages m WHERE m.stream_id = s.id AND m.kind = 'tip')::int AS tip_lines,
             (SELECT count(*) FROM tips t WHERE t.stream_id = s.id)::int AS tips,
             (SELECT coalesce(sum(amount_tokens), 0) FROM tips t WHERE t.stream_id = s.id)::int AS tipped,
             (SELECT count(*) FROM chat_events e WHERE e.stream_id = s.id AND e.kind = 'message')::int AS events,
             g.progress_tokens::int AS progress, g.target_tokens::int AS target, g.reached_at IS NOT NULL AS reached,
             g.started_at <= (SELECT min(t.created_at) FROM tips t WHERE t.stream_id = s.id) AS counts_tips,
             (SELECT count(*) FROM stream_goals q WHERE q.stream_id = s.id AND q.status = 'queued')::int AS queued
      FROM streams s JOIN stream_goals g ON g.stream_id = s.id AND g.status = 'active'
      WHERE s.status = 'live'`);
    expect(rooms).toHaveLength(LIVE_STREAMS.length);
    for (const room of rooms) {
      expect(room.chat).toBeGreaterThanOrEqual(3);
      expect(room.tips).toBeGreaterThanOrEqual(1);
      expect(room.tip_lines).toBe(room.tips);
      expect(room.events).toBe(room.chat + room.tip_lines);
      // Progress is the projector's to count (from the tips, on its first pass); the goal started before them.
      expect(room.progress).toBe(0);
      expect(room.counts_tips).toBe(true);
      expect(room.tipped).toBeLessThan(room.target);
      expect(room.reached).toBe(false);
    }
    expect(rooms.some((room) => room.queued === 1)).toBe(true);
    const [recent] = await database.query<{ newest: number }>(
      `SELECT extract(epoch FROM now() - max(created_at))::int AS newest FROM messages`,
    );
    expect(recent!.newest).toBeLessThan(15 * 60);
  });

  test('viewers hold granted tokens, less what they tipped, and all balances sum to zero', async () => {
    const [ledger] = await database.query<{ sum: number; unbalanced: number; negative: number }>(`
      SELECT (SELECT coalesce(sum(balance), 0) FROM ledger_balances)::int AS sum,
             (SELECT count(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id
                HAVING sum(amount) <> 0 OR count(*) < 2) u)::int AS unbalanced,
             (SELECT count(*) FROM ledger_balances WHERE non_negative AND balance < 0)::int AS negative`);
    expect(ledger).toEqual({ sum: 0, unbalanced: 0, negative: 0 });
    const kinds = await database.query<{ kind: string; count: number }>(
      'SELECT kind, count(*)::int AS count FROM ledger_transactions GROUP BY kind ORDER BY kind::text',
    );
    const viewers = DEMO_USERS.filter((user) => user.role === 'viewer' && !user.ban).length;
    const tips = LIVE_STREAMS.reduce((sum, stream) => sum + stream.tips.length, 0);
    expect(kinds).toEqual([
      { kind: 'grant', count: viewers },
      { kind: 'tip', count: tips },
    ]);
    const [kenji] = await database.query<{ wallet: number }>(`
      SELECT sum(b.balance)::int AS wallet FROM ledger_balances b
      JOIN ledger_accounts a ON a.id = b.account_id JOIN users u ON u.id = a.user_id
      WHERE u.username = 'kenji_watches' AND a.kind = 'wallet'`);
    const kenjiTipped = LIVE_STREAMS.flatMap((stream) => stream.tips)
      .filter((tip) => tip.from === 'kenji_watches')
      .reduce((sum, tip) => sum + tip.amountTokens, 0);
    expect(kenji!.wallet).toBe(DEMO_GRANT_TOKENS - kenjiTipped);
    const grants = await database.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM moderation_logs WHERE action = 'grant_tokens'`,
    );
    expect(grants[0]!.count).toBe(viewers);
  });
});

describe('seedDatabase started twice at once', () => {
  let racing: TestDatabase;

  beforeAll(async () => {
    racing = await createTestDatabase();
  });

  afterAll(async () => {
    await racing?.drop();
  });

  test('seeds exactly once', async () => {
    const results = await Promise.all([seedDatabase(racing.db), seedDatabase(racing.db)]);
    expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);
    const [row] = await racing.query<{ count: number }>('SELECT count(*)::int AS count FROM users');
    expect(row?.count).toBe(DEMO_USERS.length);
  });
});
