import { type SQL, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { PROJECTOR_NAME } from './projector.ts';
import {
  recomputeStreamerLevels,
  recomputeViewerLevels,
  refreshLiveSeconds,
  withoutJit,
} from './xp-store.ts';

/** True when the ledger transaction `column` names was applied by the projector (at or below its cursor, not a hole). */
function applied(column: SQL): SQL {
  return sql`(${column} <= (select position from projector_cursors where name = ${PROJECTOR_NAME})
    and ${column} not in (select transaction_id from projector_holes where name = ${PROJECTOR_NAME}))`;
}

/**
 * Recomputes `user_levels` (spend XP, standing purchases, levels, tiers), `user_spend_days` and `streamer_levels`
 * from the ledger and `tips`, as of what the projector has applied: it holds the projector's cursor for the
 * duration, so no pass runs meanwhile, and counts exactly the ledger transactions the cursor covers. Activity XP
 * (watching, chatting) is not in the ledger and is kept as it is.
 */
export async function rebuildLevels(deps: CoreDeps): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await withoutJit(tx);
    await tx.execute(sql`
      insert into projector_cursors (name) values (${PROJECTOR_NAME}) on conflict (name) do nothing`);
    await tx.execute(sql`select position from projector_cursors where name = ${PROJECTOR_NAME} for update`);
    // Each tip's standing tokens as the projector counted them: the tip once applied, its reversal once applied.
    await tx.execute(sql`
      create temporary table rebuilt_tips on commit drop as
      select t.from_user_id as user_id, t.to_user_id as streamer_id,
        (t.created_at at time zone 'UTC')::date as day,
        (case when ${applied(sql.raw('t.ledger_transaction_id'))} then t.amount_tokens else 0 end)
          - (case when t.reversal_transaction_id is not null and ${applied(sql.raw('t.reversal_transaction_id'))}
              then coalesce(t.reversed_tokens, 0) else 0 end) as tokens
      from tips t where t.ledger_transaction_id is not null`);
    await tx.execute(sql`
      update user_levels set spend_xp = 0, standing_purchases = 0 where spend_xp <> 0 or standing_purchases <> 0`);
    await tx.execute(sql`
      with purchases_applied as (
        select p.user_id, case when lt.kind = 'purchase' then 1 else -1 end as n
        from ledger_transactions lt
        join purchases p on p.id = case when lt.kind in ('purchase', 'refund', 'chargeback')
          then (lt.metadata->>'purchaseId')::uuid end
        where lt.kind in ('purchase', 'refund', 'chargeback') and ${applied(sql.raw('lt.id'))}
      ),
      spend as (select user_id, sum(tokens) as spend from rebuilt_tips group by user_id),
      bought as (select user_id, sum(n) as n from purchases_applied group by user_id),
      totals as (
        select coalesce(s.user_id, b.user_id) as user_id, coalesce(s.spend, 0) as spend, coalesce(b.n, 0) as n
        from spend s full join bought b on b.user_id = s.user_id
      )
      insert into user_levels (user_id, spend_xp, standing_purchases)
      select user_id, spend, n from totals
      on conflict (user_id) do update set spend_xp = excluded.spend_xp,
        standing_purchases = excluded.standing_purchases`);
    await tx.execute(sql`delete from user_spend_days`);
    await tx.execute(sql`
      insert into user_spend_days (user_id, day, tokens)
      select user_id, day, sum(tokens) from rebuilt_tips group by user_id, day having sum(tokens) <> 0`);
    await tx.execute(sql`update streamer_levels set earned_xp = 0 where earned_xp <> 0`);
    await tx.execute(sql`
      insert into streamer_levels (user_id, earned_xp)
      select streamer_id, sum(tokens) from rebuilt_tips group by streamer_id
      on conflict (user_id) do update set earned_xp = excluded.earned_xp`);
    await refreshLiveSeconds(tx, now);
    await recomputeViewerLevels(tx, null, now);
    await recomputeStreamerLevels(tx, null);
  });
}
