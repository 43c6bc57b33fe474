-- Applies one posting to an account's balance rows: a checked debit (a wallet never goes below zero) or a credit,
-- spread over a hot account's rows so concurrent tips do not queue behind one row lock. In the database so the
-- check and the write are one statement under the row lock, with no round trip between them.
-- Refuses with LU007 INSUFFICIENT_FUNDS, DETAIL {"available": <balance>}. A missing balance row is a plain error:
-- the caller created the account wrongly, nothing a user can fix.
CREATE OR REPLACE FUNCTION ledger_apply(p_account bigint, p_shards integer, p_amount bigint) RETURNS bigint
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
      RAISE EXCEPTION 'not enough funds' USING ERRCODE = 'LU007',
        DETAIL = jsonb_build_object('available', v_available)::text;
    END IF;
    RETURN v_balance;
  END IF;
  IF p_amount > 0 OR NOT (SELECT non_negative FROM ledger_balances WHERE account_id = p_account AND shard = 0) THEN
    -- Drawn once: random() inside the WHERE clause would be drawn again for every row. A batch of tips
    -- (tips/send_tip_many.sql) draws once for all its credits, so it holds one row of a hot account, not many.
    v_shard := coalesce(nullif(current_setting('lumen.credit_shard', true), '')::integer % p_shards,
      floor(random() * p_shards)::integer);
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
    RAISE EXCEPTION 'not enough funds' USING ERRCODE = 'LU007',
      DETAIL = jsonb_build_object('available', v_available)::text;
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
