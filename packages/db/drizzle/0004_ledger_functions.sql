-- The ledger engine, in the database: one call posts a balanced transaction (idempotency key, checked debits,
-- entries, credits spread over a hot account's balance rows), so a tip is one round trip with cached plans.
-- Errors carry SQLSTATEs of class LU that packages/core maps to sentences: LU402 not enough funds (DETAIL: the
-- available balance), LU409 idempotency key reused for another request, LU404/LU400/LU403 tip refusals.
CREATE FUNCTION ledger_apply(p_account bigint, p_shards integer, p_amount bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_balance bigint;
  v_available bigint;
  v_remaining bigint;
  v_take bigint;
  v_shard integer;
  r record;
BEGIN
  IF p_shards = 1 THEN
    UPDATE ledger_balances SET balance = balance + p_amount
      WHERE account_id = p_account AND shard = 0 AND (NOT non_negative OR balance + p_amount >= 0)
      RETURNING balance INTO v_balance;
    IF NOT FOUND THEN
      SELECT balance INTO v_available FROM ledger_balances WHERE account_id = p_account AND shard = 0;
      IF v_available IS NULL THEN
        RAISE EXCEPTION 'ledger account % has no balance row', p_account;
      END IF;
      RAISE EXCEPTION 'not enough funds' USING ERRCODE = 'LU402', DETAIL = v_available::text;
    END IF;
    RETURN v_balance;
  END IF;
  IF p_amount > 0 OR NOT (SELECT non_negative FROM ledger_balances WHERE account_id = p_account AND shard = 0) THEN
    -- Drawn once: random() inside the WHERE clause would be drawn again for every row.
    v_shard := floor(random() * p_shards)::integer;
    UPDATE ledger_balances SET balance = balance + p_amount WHERE account_id = p_account AND shard = v_shard;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger account % has no such balance row', p_account;
    END IF;
    RETURN NULL;
  END IF;
  -- A checked debit of a sharded account: lock its rows in order, then take from each until covered.
  SELECT coalesce(sum(balance), 0) INTO v_available
    FROM (SELECT balance FROM ledger_balances WHERE account_id = p_account ORDER BY shard FOR UPDATE) locked;
  IF v_available < -p_amount THEN
    RAISE EXCEPTION 'not enough funds' USING ERRCODE = 'LU402', DETAIL = v_available::text;
  END IF;
  v_remaining := -p_amount;
  FOR r IN SELECT shard, balance FROM ledger_balances WHERE account_id = p_account AND balance > 0 ORDER BY shard LOOP
    EXIT WHEN v_remaining = 0;
    v_take := least(r.balance, v_remaining);
    UPDATE ledger_balances SET balance = balance - v_take WHERE account_id = p_account AND shard = r.shard;
    v_remaining := v_remaining - v_take;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION ledger_post(
  p_kind ledger_transaction_kind,
  p_key text,
  p_hash text,
  p_metadata jsonb,
  p_reverses bigint,
  p_accounts bigint[],
  p_shards integer[],
  p_amounts bigint[]
) RETURNS TABLE (transaction_id bigint, replayed boolean, account_ids bigint[], balances bigint[])
LANGUAGE plpgsql AS $$
DECLARE
  v_tx bigint;
  v_existing text;
  v_n integer := coalesce(array_length(p_accounts, 1), 0);
  v_balance bigint;
  v_ids bigint[] := '{}';
  v_balances bigint[] := '{}';
  i integer;
BEGIN
  IF v_n < 2 OR v_n <> array_length(p_amounts, 1) OR v_n <> array_length(p_shards, 1)
     OR (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 OR 0 = ANY (p_amounts) THEN
    RAISE EXCEPTION 'a ledger transaction needs two or more non-zero postings that sum to zero';
  END IF;
  INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, metadata, reverses_id)
    VALUES (p_kind, p_key, p_hash, coalesce(p_metadata, '{}'::jsonb), p_reverses)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_tx;
  IF v_tx IS NULL THEN
    SELECT t.id, t.request_hash INTO v_tx, v_existing FROM ledger_transactions t WHERE t.idempotency_key = p_key;
    IF v_existing IS DISTINCT FROM p_hash THEN
      RAISE EXCEPTION 'idempotency key reused for a different request' USING ERRCODE = 'LU409';
    END IF;
    RETURN QUERY SELECT v_tx, true, v_ids, v_balances;
    RETURN;
  END IF;
  -- Debits first, checked; credits last, so a hot account's row lock is held only until commit.
  FOR i IN SELECT ord FROM unnest(p_amounts) WITH ORDINALITY AS u(a, ord) WHERE a < 0 ORDER BY a LOOP
    v_balance := ledger_apply(p_accounts[i], p_shards[i], p_amounts[i]);
    IF v_balance IS NOT NULL THEN
      v_ids := v_ids || p_accounts[i];
      v_balances := v_balances || v_balance;
    END IF;
  END LOOP;
  INSERT INTO ledger_entries (transaction_id, account_id, amount)
    SELECT v_tx, a, m FROM unnest(p_accounts, p_amounts) AS u(a, m);
  FOR i IN SELECT ord FROM unnest(p_amounts) WITH ORDINALITY AS u(a, ord) WHERE a > 0 ORDER BY a LOOP
    v_balance := ledger_apply(p_accounts[i], p_shards[i], p_amounts[i]);
    IF v_balance IS NOT NULL THEN
      v_ids := v_ids || p_accounts[i];
      v_balances := v_balances || v_balance;
    END IF;
  END LOOP;
  RETURN QUERY SELECT v_tx, false, v_ids, v_balances;
END;
$$;
--> statement-breakpoint
-- One tip, whole: checks, the ledger posting, the tip row, and who sent it, in one call.
CREATE FUNCTION send_tip(
  p_key text,
  p_hash text,
  p_stream uuid,
  p_from uuid,
  p_wallet bigint,
  p_earnings bigint,
  p_earnings_shards integer,
  p_amount bigint,
  p_note text,
  p_anonymous boolean
) RETURNS TABLE (
  tip_id bigint,
  created_at timestamptz,
  replayed boolean,
  wallet_balance bigint,
  to_user_id uuid,
  from_username text,
  from_display_name text
)
LANGUAGE plpgsql AS $$
DECLARE
  v_status stream_status;
  v_streamer uuid;
  v_banned timestamptz;
  v_post record;
  v_tip tips%ROWTYPE;
BEGIN
  SELECT s.status, s.streamer_id, u.banned_at INTO v_status, v_streamer, v_banned
    FROM streams s JOIN users u ON u.id = s.streamer_id WHERE s.id = p_stream;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'stream not found' USING ERRCODE = 'LU404';
  END IF;
  IF v_streamer = p_from THEN
    RAISE EXCEPTION 'own stream' USING ERRCODE = 'LU400';
  END IF;
  IF v_banned IS NOT NULL THEN
    RAISE EXCEPTION 'streamer banned' USING ERRCODE = 'LU403';
  END IF;
  SELECT * INTO v_post FROM ledger_post(
    'tip', p_key, p_hash, jsonb_build_object('streamId', p_stream), NULL,
    ARRAY[p_wallet, p_earnings], ARRAY[1, p_earnings_shards], ARRAY[-p_amount, p_amount]);
  IF v_post.replayed THEN
    SELECT * INTO v_tip FROM tips WHERE ledger_transaction_id = v_post.transaction_id;
    RETURN QUERY SELECT v_tip.id, v_tip.created_at, true, NULL::bigint, v_tip.to_user_id, NULL::text, NULL::text;
    RETURN;
  END IF;
  IF v_status <> 'live' THEN
    RAISE EXCEPTION 'stream not live' USING ERRCODE = 'LU400', DETAIL = 'not live';
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_accounts WHERE id = p_wallet AND frozen_at IS NOT NULL) THEN
    RAISE EXCEPTION 'wallet frozen' USING ERRCODE = 'LU403', DETAIL = 'frozen';
  END IF;
  INSERT INTO tips (stream_id, from_user_id, to_user_id, amount_tokens, note, anonymous, ledger_transaction_id)
    VALUES (p_stream, p_from, v_streamer, p_amount, p_note, p_anonymous, v_post.transaction_id)
    RETURNING * INTO v_tip;
  RETURN QUERY SELECT v_tip.id, v_tip.created_at, false, v_post.balances[1], v_streamer, u.username, u.display_name
    FROM users u WHERE u.id = p_from;
END;
$$;
