import { type SQL, sql } from 'drizzle-orm';

/** One row of a rebuilt board: `ttl` is the seconds its Redis key has left (0: never expires). */
export type BoardRow = {
  board: string;
  scope: string;
  bucket: string;
  member: string;
  score: number;
  ttl: number;
};

/**
 * Every board row as the ledger has it, for the facts the projector has applied (at or below its position and not
 * one of its holes): tips net of their applied reversals, summed per board, scope, bucket and member, with the same
 * regions, categories and UTC buckets as the live path (`tipIncrements`). Only buckets still alive are kept (a
 * Redis key not expired yet, a rollup row not pruned yet: `bucketExpired`), with their seconds left; `hours` adds
 * the hourly buckets of rooms (Redis's; the rollup has none).
 */
export function boardRowsQuery(position: number, holes: readonly number[], now: Date, hours: boolean): SQL {
  const holeArray = `{${holes.join(',')}}`;
  const at = sql`${now.toISOString()}::timestamptz at time zone 'UTC'`;
  const isApplied = (column: string) =>
    sql`(${sql.raw(column)} <= ${position} and not ${sql.raw(column)} = any(${holeArray}::bigint[]))`;
  return sql`
      with codes as (
        select r.id,
          case when r.kind = 'continent' then r.code when p.kind = 'continent' then p.code
            when g.kind = 'continent' then g.code end as cont,
          case when r.kind = 'country' then r.code when p.kind = 'country' then p.code end as ctry
        from regions r left join regions p on p.id = r.parent_id left join regions g on g.id = p.parent_id
      ), applied as (
        select t.from_user_id as tipper, t.to_user_id as streamer, s.category_id as cat, t.anonymous,
          t.created_at at time zone 'UTC' as at,
          t.amount_tokens - case when ${isApplied('t.reversal_transaction_id')}
            then coalesce(t.reversed_tokens, 0) else 0 end as net
        from tips t left join streams s on s.id = t.stream_id
        where ${isApplied('t.ledger_transaction_id')}
      ), bucketed as (
        select a.tipper, a.streamer, a.cat, a.anonymous, a.net, b.bucket, b.until
        from applied a
        cross join lateral (values
          (to_char(a.at, '"d:"YYYY-MM-DD'), date_trunc('day', a.at) + interval '4 days'),
          (to_char(a.at, '"w:"IYYY-"W"IW'), date_trunc('week', a.at) + interval '23 days'),
          (to_char(a.at, '"m:"YYYY-MM'), date_trunc('month', a.at) + interval '1 month' + interval '63 days'),
          ('all', null),
          (case when ${hours}::boolean and not a.anonymous then to_char(a.at, '"h:"YYYYMMDDHH24') end,
            date_trunc('hour', a.at) + interval '14 hours')
        ) as b(bucket, until)
        where b.bucket is not null and (b.until is null or b.until > ${at})
      ), by_streamer as (
        select streamer, cat, bucket, min(until) as until, sum(net) as net from bucketed
        where bucket not like 'h:%' group by 1, 2, 3
      ), by_tipper as (
        select tipper, cat, bucket, min(until) as until, sum(net) as net from bucketed
        where not anonymous and bucket not like 'h:%' group by 1, 2, 3
      ), by_room as (
        select streamer, tipper, bucket, min(until) as until, sum(net) as net from bucketed
        where not anonymous group by 1, 2, 3
      ), rows as (
        select 'streamers' as board, k.scope, r.bucket, r.streamer as member, sum(r.net) as score,
          min(r.until) as until
        from by_streamer r left join users u on u.id = r.streamer left join codes c on c.id = u.region_id
        cross join lateral (values ('g'), ('cont:' || c.cont), ('ctry:' || c.ctry), ('cat:' || r.cat)) as k(scope)
        where k.scope is not null group by 1, 2, 3, 4
        union all
        select 'tippers', k.scope, r.bucket, r.tipper, sum(r.net), min(r.until)
        from by_tipper r left join users u on u.id = r.tipper left join codes c on c.id = u.region_id
        cross join lateral (values ('g'), ('cont:' || c.cont), ('ctry:' || c.ctry), ('cat:' || r.cat)) as k(scope)
        where k.scope is not null group by 1, 2, 3, 4
        union all
        select 'tippers', 'str:' || r.streamer, r.bucket, r.tipper, r.net, r.until from by_room r
      )
      select board, scope, bucket, member::text as member, score::float8 as score,
        coalesce(extract(epoch from until - ${at}), 0)::float8 as ttl
      from rows where score > 0`;
}

/**
 * True (in SQL) for a bucket whose boards are gone from Redis by now: the rollup prunes the same rows, so a rebuilt
 * rollup equals the kept one. Each period's bucket lives its length plus its TTL from its start.
 */
export function bucketExpired(bucket: SQL, now: Date): SQL {
  return sql`(case
    when ${bucket} like 'd:%' then to_date(substr(${bucket}, 3), 'YYYY-MM-DD') + interval '4 days'
    when ${bucket} like 'w:%' then to_date(substr(${bucket}, 3), 'IYYY-"W"IW') + interval '23 days'
    when ${bucket} like 'm:%' then to_date(substr(${bucket}, 3), 'YYYY-MM') + interval '1 month' + interval '63 days'
    when ${bucket} like 'h:%' then to_timestamp(substr(${bucket}, 3), 'YYYYMMDDHH24')::timestamp + interval '14 hours'
    end <= ${now.toISOString()}::timestamptz at time zone 'UTC')`;
}
