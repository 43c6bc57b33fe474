-- A tipper's own spending limits, checked before a tip's money moves: send_tip calls it only when the tipper has a
-- spending_limits row, so users without limits pay one primary-key lookup. The tipper's wallet balance row (the
-- row ledger_apply's debit updates) is locked first, so two tips by one user are checked one after the other and
-- the second sees the first: together they cannot pass a limit either would pass alone. Days are UTC and weeks
-- ISO (from Monday 00:00 UTC), both from p_now; a raise waiting in pending_* counts once pending_from has passed.
-- Refuses with LU016 SPENDING_LIMIT, DETAIL {"period": "day" | "week", "limitTokens", "spentTokens", "resetsAt"}.
CREATE OR REPLACE FUNCTION spending_limit_check(p_from uuid, p_wallet bigint, p_amount bigint, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_limit spending_limits%ROWTYPE;
  v_daily bigint;
  v_weekly bigint;
  v_day timestamptz := date_trunc('day', p_now, 'UTC');
  v_week timestamptz := date_trunc('week', p_now, 'UTC');
  v_spent_day bigint;
  v_spent_week bigint;
BEGIN
  PERFORM 1 FROM ledger_balances WHERE account_id = p_wallet AND shard = 0 FOR UPDATE;
  SELECT * INTO v_limit FROM spending_limits WHERE user_id = p_from;
  IF v_limit.pending_from IS NOT NULL AND v_limit.pending_from <= p_now THEN
    v_daily := v_limit.pending_daily_tokens;
    v_weekly := v_limit.pending_weekly_tokens;
  ELSE
    v_daily := v_limit.daily_tokens;
    v_weekly := v_limit.weekly_tokens;
  END IF;
  IF v_daily IS NULL AND v_weekly IS NULL THEN
    RETURN;
  END IF;
  -- Read after the lock: a statement of its own, so its snapshot holds every tip committed before the lock.
  SELECT coalesce(sum(t.amount_tokens) FILTER (WHERE t.created_at >= v_day AND t.created_at < v_day + interval '1 day'), 0),
      coalesce(sum(t.amount_tokens), 0)
    INTO v_spent_day, v_spent_week
    FROM tips t
    WHERE t.from_user_id = p_from AND t.created_at >= v_week AND t.created_at < v_week + interval '7 days';
  IF v_daily IS NOT NULL AND v_spent_day + p_amount > v_daily THEN
    RAISE EXCEPTION 'spending limit' USING ERRCODE = 'LU016', DETAIL = jsonb_build_object('limitTokens', v_daily,
      'spentTokens', v_spent_day, 'resetsAt', chat_iso(v_day + interval '1 day'), 'period', 'day')::text;
  END IF;
  IF v_weekly IS NOT NULL AND v_spent_week + p_amount > v_weekly THEN
    RAISE EXCEPTION 'spending limit' USING ERRCODE = 'LU016', DETAIL = jsonb_build_object('limitTokens', v_weekly,
      'spentTokens', v_spent_week, 'resetsAt', chat_iso(v_week + interval '7 days'), 'period', 'week')::text;
  END IF;
END;
$$;
