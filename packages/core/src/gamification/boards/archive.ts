import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps, ProjectionRedis } from '../../kernel/deps.ts';
import type { Projection } from '../projector.ts';
import { dayBucket, monthBucket, weekBucket } from './keys.ts';
import { bucketExpired } from './rebuild-query.ts';

/** How many places of a closed period are kept in `leaderboard_snapshots`. */
export const ARCHIVE_TOP = 100;
/** How often closed periods are looked for (a day's board stays in Redis for 3 days: many chances). */
export const ARCHIVE_SECONDS = 3_600;

type ArchivedRow = {
  board: string;
  scope: string;
  bucket: string;
  rank: number;
  member: string;
  score: number;
};

/** The buckets that closed most recently at `now`: yesterday, last week, last month (UTC). */
export function closedBuckets(now: Date): string[] {
  const day = new Date(now.getTime() - 86_400_000);
  const week = new Date(now.getTime() - 7 * 86_400_000);
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return [dayBucket(day), weekBucket(week), monthBucket(month)];
}

async function archivedScopes(deps: CoreDeps, bucket: string): Promise<Set<string>> {
  const rows = rowsOf<{ board: string; scope: string }>(
    await deps.db.execute(sql`
      select distinct board, scope from leaderboard_snapshots where bucket = ${bucket}`),
  );
  return new Set(rows.map((row) => `${row.board}:${row.scope}`));
}

async function redisTops(deps: CoreDeps, redis: ProjectionRedis, bucket: string): Promise<ArchivedRow[]> {
  const done = await archivedScopes(deps, bucket);
  const base = `${redis.prefix}lb:`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = (await redis.client.send('SCAN', [
      cursor,
      'MATCH',
      `${base}*:${bucket}`,
      'COUNT',
      '1000',
    ])) as [string, string[]];
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const rows: ArchivedRow[] = [];
  const wanted = keys
    .map((key) => key.slice(base.length, key.length - bucket.length - 1))
    .filter((relative) => !done.has(relative) && /^(tippers|streamers):/.test(relative));
  const tops = await Promise.all(
    wanted.map(
      (relative) =>
        redis.client.send('ZREVRANGE', [
          `${base}${relative}:${bucket}`,
          '0',
          String(ARCHIVE_TOP - 1),
          'WITHSCORES',
        ]) as Promise<string[]>,
    ),
  );
  wanted.forEach((relative, index) => {
    const colon = relative.indexOf(':');
    const board = relative.slice(0, colon);
    const scope = relative.slice(colon + 1);
    // RESP3 answers WITHSCORES as [member, score] pairs; RESP2 as a flat list.
    const reply = tops[index] as unknown[];
    const pairs: [string, number][] = Array.isArray(reply[0])
      ? (reply as [string, string | number][]).map(([member, score]) => [member, Number(score)])
      : Array.from({ length: reply.length / 2 }, (_, i) => [String(reply[2 * i]), Number(reply[2 * i + 1])]);
    pairs.forEach(([member, score], i) => {
      rows.push({ board, scope, bucket, rank: i + 1, member, score });
    });
  });
  return rows;
}

/**
 * Keeps the top of every board of the periods that just closed in `leaderboard_snapshots` (the Redis keys expire a
 * few days later), once per board. Returns the rows written.
 */
export async function archiveClosedPeriods(deps: CoreDeps): Promise<number> {
  let written = 0;
  for (const bucket of closedBuckets(deps.clock.now())) {
    if (!deps.redis) {
      const rows = rowsOf<{ n: number }>(
        await deps.db.execute(sql`
          with ranked as (
            select board, scope, bucket, member, score,
              row_number() over (partition by board, scope order by score desc, member desc) as rank
            from leaderboard_rollups where bucket = ${bucket}
          ), written as (
            insert into leaderboard_snapshots (board, scope, bucket, rank, member, score)
            select board, scope, bucket, rank, member, score from ranked where rank <= ${ARCHIVE_TOP}
            on conflict do nothing returning 1)
          select count(*)::int as n from written`),
      );
      written += Number(rows[0]?.n ?? 0);
      continue;
    }
    const rows = await redisTops(deps, deps.redis, bucket);
    for (let at = 0; at < rows.length; at += 5_000) {
      const chunk = rows.slice(at, at + 5_000);
      await deps.db.execute(sql`
        insert into leaderboard_snapshots (board, scope, bucket, rank, member, score)
        select r.board, r.scope, r.bucket, r.rank, r.member, r.score
          from jsonb_to_recordset(${JSON.stringify(chunk)}::text::jsonb)
            as r(board text, scope text, bucket text, rank integer, member uuid, score bigint)
        on conflict do nothing`);
      written += chunk.length;
    }
  }
  if (!deps.redis) {
    // The rollup drops what Redis lets expire (after it was archived above, days before).
    await deps.db.execute(sql`
      delete from leaderboard_rollups where ${bucketExpired(sql.raw('bucket'), deps.clock.now())}`);
  }
  return written;
}

/** The period-close job: run by the projector's holder once an hour. */
export const boardsArchive: Projection = {
  name: 'boards-archive',
  every: {
    seconds: ARCHIVE_SECONDS,
    run: async (deps) => {
      await archiveClosedPeriods(deps);
    },
  },
};
