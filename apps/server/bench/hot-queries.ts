/**
 * `bun run bench:queries`: what building a hot query costs next to running it, on the local Postgres. For each
 * query a request may run (the session lookup of every signed-in request, the stream access check of every
 * stream's board and chat, the `streams.live` page behind a read-cache miss) it times, one call after another:
 * building the SQL with Drizzle alone, the call as the code makes it, and the same query built once
 * (`.prepare()` with placeholders). Prints microseconds per call. BENCH_CALLS (default 3,000).
 */
import {
  createSession,
  liveStreamsQuery,
  readableStream,
  streamCardQuery,
  validateSessionToken,
} from '@app/core';
import { createTestDeps, createTestUser, seedBrowseFixture } from '@app/core/testing';
import { sessions, streams, users } from '@app/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';

const CALLS = Number(process.env.BENCH_CALLS ?? 3_000);

const deps = await createTestDeps({ reads: null });
const db = deps.db;

/** Mean microseconds per call of `run`, after a warm-up of a tenth as many. */
async function time(run: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < CALLS / 10; i++) await run(i);
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await run(i);
  return ((performance.now() - started) * 1000) / CALLS;
}

try {
  const world = await seedBrowseFixture(db, { streams: 2_000 });
  await deps.database.query('ANALYZE');
  const { user } = await createTestUser(deps);
  const { token } = await createSession(db, deps.clock, user.id);
  const sessionId = token.split('.')[0]!;
  const streamId = world.streamIds[0]!;

  /** Name, µs to build the SQL alone, µs per call built each time, µs per call built once, which the code does. */
  const rows: Array<[string, number, number, number, string]> = [];

  // The session lookup of every signed-in request (identity/session.ts prepares it once per database).
  const lookupBuilt = () =>
    db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId))
      .limit(1);
  rows.push([
    'session lookup (validateSessionToken)',
    await time(() => lookupBuilt().toSQL()),
    await time(() => lookupBuilt()),
    await time(() => validateSessionToken(db, deps.clock, token, deps.sessions)),
    'built once',
  ]);

  // The access check of every stream board, chat history and feed (room/access.ts, prepared once per database).
  const accessBuilt = () =>
    db
      .select({
        id: streams.id,
        streamerId: streams.streamerId,
        status: streams.status,
        nsfw: streams.nsfw,
        settings: streams.settings,
        startedAt: streams.startedAt,
        endedAt: streams.endedAt,
        endedReason: streams.endedReason,
      })
      .from(streams)
      .innerJoin(users, and(eq(users.id, streams.streamerId), isNull(users.bannedAt)))
      .where(eq(streams.id, streamId));
  rows.push([
    'stream access (readableStream, a visitor)',
    await time(() => accessBuilt().toSQL()),
    await time(() => accessBuilt()),
    await time(() => readableStream(deps, null, streamId)),
    'built once',
  ]);

  // The streams.live page behind a read-cache miss (sort by viewers, one category), and the same page built once
  // with placeholders. Behind the read cache a key misses about once a second, so the code builds it per call.
  const live = (categoryId: number) =>
    liveStreamsQuery(db, { sort: 'viewers', limit: 24, categoryId }, null, null);
  const liveOnce = streamCardQuery(db, sql<number>`${streams.currentViewers}`)
    .where(
      and(
        sql`${streams.status} = 'live'`,
        eq(streams.categoryId, sql.placeholder('categoryId')),
        sql`NOT ${streams.nsfw}`,
      ),
    )
    .orderBy(sql`${streams.currentViewers} DESC NULLS LAST`, sql`${streams.id} DESC NULLS LAST`)
    .limit(sql.placeholder('limit'))
    .prepare('bench_live_once');
  const category = (i: number) => world.categoryIds[i % 4]!;
  rows.push([
    'streams.live page (a read-cache miss)',
    await time((i) => live(category(i)).toSQL()),
    await time((i) => live(category(i)).prepare('streams_live').execute()),
    await time((i) => liveOnce.execute({ categoryId: category(i), limit: 25 })),
    'built per call',
  ]);

  console.log(`\nhot queries, ${CALLS} calls each, one after another (µs per call)`);
  console.log('| query | build the SQL only | built per call | built once | the code |');
  console.log('|---|---:|---:|---:|---|');
  for (const [name, build, perCall, once, code] of rows) {
    console.log(`| ${name} | ${build.toFixed(1)} | ${perCall.toFixed(1)} | ${once.toFixed(1)} | ${code} |`);
  }
} finally {
  await deps.database.drop();
}
